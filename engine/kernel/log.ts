// The engine's one way to write a log line: everything logged goes through here, and control
// characters in it (a newline in a sign-in e-mail, an ANSI escape in a record value) are escaped,
// so no input can forge a line of its own or repaint the terminal.

import { format } from 'node:util';

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `\n` → `\\n`, other control characters → `\\u00XX`: one event stays one line. */
export function escapeControlCharacters(text: string): string {
  return text.replace(controlCharacters, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function line(parts: unknown[]): string {
  return escapeControlCharacters(format(...parts));
}

export const log = {
  info: (...parts: unknown[]): void => console.info(line(parts)),
  warn: (...parts: unknown[]): void => console.warn(line(parts)),
  error: (...parts: unknown[]): void => console.error(line(parts)),
};
