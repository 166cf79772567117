// kernel/safe-regex: which regular expressions may run on this server at all — from metadata
// (JSONata) or from users' $regex filters. Patterns run on V8's linear-time engine (the `l` flag: no
// backtracking, so no catastrophic case exists) and are refused when they need backtracking
// (back-references, look-arounds), are longer than 200 characters, or have nested quantifiers
// (safe-regex2, kept as a second opinion). The linear engine cannot run the `i` flag, so a
// case-insensitive pattern is rewritten into an equivalent case-sensitive one (kernel/case-fold-regex)
// and runs there too: nothing a user or an admin writes reaches the backtracking engine. Where the
// linear engine is not available at all, patterns must also have no repeated group — the shape
// every catastrophic case needs ((a|a)+, (a+)+) and safe-regex2 does not always see.

import v8 from 'node:v8';
import safeRegex from 'safe-regex2';
import { foldCase } from './case-fold-regex.ts';

export const maxPatternLength = 200;
/** Inputs longer than this are refused by expression regex functions: one linear-time match over it stays within a few milliseconds. */
export const maxRegexInputLength = 10_000;

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

/** Flags the linear engine runs as given; `i` is served by rewriting the pattern, `u` is refused on save. */
const linearSafeFlags = /[^gmsy]/g;

/**
 * The RegExp to run a pattern with: on the linear engine (`i` folded into the pattern, `u`
 * dropped) where available, else as given. Throws SyntaxError when the pattern does not compile.
 */
export function compileSafeRegex(pattern: string, flags = ''): RegExp {
  if (!linearRegexEngine) return new RegExp(pattern, flags);
  new RegExp(pattern, flags.replace('u', '')); // the original must be valid before it is rewritten
  const source = flags.includes('i') ? foldCase(pattern) : pattern;
  return new RegExp(source, `${flags.replace(linearSafeFlags, '')}l`);
}

/**
 * Patterns the engine itself puts into record schemas (a field type's own, such as a phone number's
 * shape) — never an admin's or a user's. Each is written so that the ordinary backtracking engine
 * runs it in linear time (no two quantified parts can take the same character), and runs there:
 * V8's linear engine interprets, and took 8.6 µs to check a phone number against 0.27 µs — most of
 * the validation of an imported row. test/security/built-in-patterns.test.ts holds each to that.
 */
const builtInPatterns = new Set<string>();

/** Marks a field type's own pattern as one that may run on the ordinary engine (see above); returns it. */
export function builtInPattern(pattern: string): string {
  builtInPatterns.add(pattern);
  return pattern;
}

export function isBuiltInPattern(pattern: string): boolean {
  return builtInPatterns.has(pattern);
}

export function listBuiltInPatterns(): string[] {
  return [...builtInPatterns];
}

/** A group followed by a quantifier: `(…)*`, `(…)+`, `(…)?`, `(…){n}`. */
const repeatedGroup = /\)[*+?{]/;

export function isSafePattern(pattern: string, flags = ''): boolean {
  if (pattern.length > maxPatternLength || !safeRegex(pattern)) return false;
  if (!linearRegexEngine) return !repeatedGroup.test(pattern);
  // Without the `u` flag these would silently mean something else (`\p{L}` is "p{L}").
  if (flags.includes('u') && /\\[pP]|\\u\{/.test(pattern)) return false;
  try {
    // The structure must suit the linear engine (no back-references or look-arounds).
    compileSafeRegex(pattern, flags.replace(/[^gimsuy]/g, ''));
    return true;
  } catch {
    return false;
  }
}

/** Text as a pattern that matches exactly that text (for searches and rewrites built from a user's words or a name). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
