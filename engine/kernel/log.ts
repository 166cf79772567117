// The engine's one way to write a log line: structured JSON lines (pino) on stdout, one event per
// line, `{"level":"info","time":"…","pid":…,"requestId":"…","msg":"…"}`. The message's control
// characters (a newline in a sign-in e-mail, an ANSI escape in a record value) are escaped before
// pino sees them, so no input can forge a line of its own or repaint the terminal — JSON alone
// would leave DEL, C1 and U+2028/U+2029 raw. A line written while serving an HTTP request carries
// that request's id (AsyncLocalStorage, set by the HTTP edge).

import { format } from 'node:util';
import pino from 'pino';
import { currentScope, runInScope } from './request-scope.ts';

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `\n` → `\\n`, other control characters → `\\u00XX`: one event stays one line. */
export function escapeControlCharacters(text: string): string {
  return text.replace(controlCharacters, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Runs `work` (and everything it starts) as part of the request `requestId`: its log lines say so. */
export function runInRequest<T>(requestId: string, work: () => T): T {
  return runInScope({ ...currentScope(), requestId }, work);
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return currentScope()?.requestId;
}

/** Where the JSON lines go: stdout (synchronous, so no line is lost on exit) unless replaced. */
export type LogSink = (line: string) => void;
let stdout: pino.DestinationStream | undefined;
const writeStdout: LogSink = (line) => (stdout ??= pino.destination({ dest: 1, sync: true })).write(line);
let sink: LogSink = writeStdout;

/**
 * Sends every log line to `next` instead of stdout (tests read what was logged); undefined
 * restores stdout. Returns the previous sink.
 */
export function setLogSink(next: LogSink | undefined): LogSink {
  const previous = sink;
  sink = next ?? writeStdout;
  return previous;
}

const logger = pino(
  {
    level: 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const requestId = currentScope()?.requestId;
      return requestId !== undefined ? { requestId } : {};
    },
  },
  { write: (line: string) => sink(line) },
);

/** The least severe level written (CRM_LOG_LEVEL, applied once at start). */
export function setLogLevel(level: string): void {
  logger.level = level;
}

/** Whether lines of `level` are written (to skip building ones that are not). */
export function logEnabled(level: 'debug' | 'info' | 'warn' | 'error'): boolean {
  return logger.isLevelEnabled(level);
}

function line(parts: unknown[]): string {
  return escapeControlCharacters(format(...parts));
}

export const log = {
  debug: (...parts: unknown[]): void => {
    if (logger.isLevelEnabled('debug')) logger.debug(line(parts));
  },
  info: (...parts: unknown[]): void => logger.info(line(parts)),
  warn: (...parts: unknown[]): void => logger.warn(line(parts)),
  error: (...parts: unknown[]): void => logger.error(line(parts)),
  /** A line with fields besides the message (numbers, ids, route templates: never free user text). */
  event: (level: 'debug' | 'info' | 'warn' | 'error', fields: Record<string, string | number | boolean>, ...parts: unknown[]): void => {
    if (!logger.isLevelEnabled(level)) return;
    const escaped = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? escapeControlCharacters(v) : v]));
    logger[level](escaped, line(parts));
  },
};
