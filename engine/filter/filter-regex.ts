// filter/filter-regex: decides whether a user's $regex may run. Patterns run on the server for
// every candidate record, so they must be safe the same way metadata's are (kernel/safe-regex: the
// linear-time engine, nothing that needs backtracking) and compile as JavaScript.

import { isSafePattern } from '../kernel/safe-regex.ts';

export const maxRegexLength = 200;
/** Flags users may pass in $options: the ones MongoDB and JavaScript both read the same way. */
export const allowedRegexFlags = ['i', 'm', 's'] as const;

export type RegexCheck =
  | { ok: true; pattern: string; flags: string }
  | { ok: false; operator: '$regex' | '$options'; message: string; code: string };

/** Checks a $regex pattern and its optional $options. Never throws. */
export function checkRegex(pattern: unknown, options: unknown): RegexCheck {
  if (typeof pattern !== 'string') {
    return { ok: false, operator: '$regex', message: 'expected the pattern as a string', code: 'WRONG_TYPE' };
  }
  if (pattern.length > maxRegexLength) {
    return { ok: false, operator: '$regex', message: `the pattern is longer than ${maxRegexLength} characters`, code: 'REGEX_TOO_LONG' };
  }
  const flags = options === undefined ? '' : options;
  if (typeof flags !== 'string') {
    return { ok: false, operator: '$options', message: 'expected the options as a string such as "i"', code: 'WRONG_TYPE' };
  }
  for (const [index, flag] of [...flags].entries()) {
    if (!(allowedRegexFlags as readonly string[]).includes(flag) || flags.indexOf(flag) !== index) {
      return { ok: false, operator: '$options', message: `only the flags i, m and s are allowed, each once; got "${flags}"`, code: 'INVALID_REGEX' };
    }
  }
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return { ok: false, operator: '$regex', message: `the pattern does not compile: ${(error as Error).message}`, code: 'INVALID_REGEX' };
  }
  if (!isSafePattern(pattern, flags)) {
    return { ok: false, operator: '$regex', message: 'the pattern may backtrack catastrophically (nested repetition, back-references or look-arounds); simplify it', code: 'UNSAFE_REGEX' };
  }
  return { ok: true, pattern, flags };
}
