// Reads what the engine logs: every JSON line kernel/log.ts writes goes to the capture instead of
// stdout until restore(). Lines are parsed, so a test can ask for a level, a message or a request id.

import { setLogSink } from '../../engine/kernel/log.ts';

export interface LogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  time: string;
  pid: number;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

export interface LogCapture {
  /** Every line written since the capture started, parsed. */
  lines(level?: LogLine['level']): LogLine[];
  /** The raw text of every line (each ends with a newline). */
  raw(): string[];
  /** The messages, joined with spaces (what console spies used to give). */
  text(level?: LogLine['level']): string;
  restore(): void;
}

export function captureLog(): LogCapture {
  const raw: string[] = [];
  const previous = setLogSink((line) => void raw.push(line));
  const lines = (level?: LogLine['level']) => raw.map((l) => JSON.parse(l) as LogLine).filter((l) => level === undefined || l.level === level);
  return {
    lines,
    raw: () => [...raw],
    text: (level) => lines(level).map((l) => l.msg).join(' '),
    restore: () => void setLogSink(previous),
  };
}

/** An error body without its request id (which differs on every request), for toEqual. */
export function withoutRequestId<T>(body: T): T {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!error || typeof error !== 'object') return body;
  const { requestId: _requestId, ...rest } = error;
  return { ...body, error: rest } as T;
}
