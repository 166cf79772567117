// A RegexEngine for JSONata that cannot run away: a JSONata timeout is only checked between
// evaluation steps, so one catastrophic regex would block the server. Patterns run on V8's
// linear-time engine (the `l` flag: no backtracking, so no catastrophic case exists) and are
// refused at save time when they need backtracking (back-references, look-arounds), are longer
// than 200 characters, or have nested quantifiers (safe-regex2, kept as a second opinion). Where
// the linear engine is not available, the safe-regex2 check alone decides.

import v8 from 'node:v8';
import safeRegex from 'safe-regex2';

export const maxPatternLength = 200;
/** Inputs longer than this are refused by regex functions, bounding the work of one match. */
export const maxRegexInputLength = 100_000;

function enableLinearEngine(): boolean {
  try {
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
    // eslint-disable-next-line no-invalid-regexp -- the linear-engine flag exists once the V8 flag above is set
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
}

/** Whether regexes run on the linear-time engine here. */
export const linearRegexEngine = enableLinearEngine();

function linearFlags(flags: string | undefined): string {
  return linearRegexEngine && !(flags ?? '').includes('l') ? `${flags ?? ''}l` : (flags ?? '');
}

export function isSafePattern(pattern: string, flags = ''): boolean {
  if (pattern.length > maxPatternLength || !safeRegex(pattern)) return false;
  if (!linearRegexEngine) return true;
  try {
    new RegExp(pattern, linearFlags(flags.replace(/[^gimsy]/g, '')));
    return true;
  } catch {
    return false;
  }
}

function refused(message: string): Error {
  return Object.assign(new Error(message), { code: 'EXPR_REGEX' });
}

class BoundedRegExp extends RegExp {
  constructor(pattern: string | RegExp, flags?: string) {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    const given = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    if (!isSafePattern(source, given)) {
      throw refused(`regular expression refused: longer than ${maxPatternLength} characters, or it needs backtracking (nested quantifiers, back-references, look-arounds)`);
    }
    super(source, linearFlags(given));
  }

  override exec(input: string): RegExpExecArray | null {
    if (input.length > maxRegexInputLength) throw refused(`regular expression input longer than ${maxRegexInputLength} characters`);
    return super.exec(input);
  }
}

export const boundedRegexEngine = BoundedRegExp;
