// kernel/safe-regex: which regular expressions may run on this server at all — from metadata
// (JSONata) or from users' $regex filters. Patterns run on V8's linear-time engine (the `l` flag: no
// backtracking, so no catastrophic case exists) and are refused when they need backtracking
// (back-references, look-arounds), are longer than 200 characters, or have nested quantifiers
// (safe-regex2, kept as a second opinion). The linear engine cannot match case-insensitively, so
// an `i` pattern runs on the backtracking engine and must also have no repeated group — the shape
// every catastrophic case needs ((a|a)+, (a+)+) and safe-regex2 does not always see. Where the
// linear engine is not available at all, that stricter rule applies to every pattern.

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

/** The flags to run a pattern with: the given ones plus the linear engine's `l` where it can serve them. */
export function linearFlags(flags: string | undefined): string {
  const given = flags ?? '';
  return linearRegexEngine && !given.includes('l') && !given.includes('i') ? `${given}l` : given;
}

/** A group followed by a quantifier: `(…)*`, `(…)+`, `(…)?`, `(…){n}`. */
const repeatedGroup = /\)[*+?{]/;

export function isSafePattern(pattern: string, flags = ''): boolean {
  if (pattern.length > maxPatternLength || !safeRegex(pattern)) return false;
  const known = flags.replace(/[^gimsy]/g, '');
  const backtracking = !linearRegexEngine || known.includes('i');
  if (backtracking && repeatedGroup.test(pattern)) return false;
  if (!linearRegexEngine) return true;
  try {
    // The structure must suit the linear engine (no back-references or look-arounds) either way.
    new RegExp(pattern, `${known.replace('i', '')}l`);
    return true;
  } catch {
    return false;
  }
}
