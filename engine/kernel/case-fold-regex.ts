// kernel/case-fold-regex: V8's linear-time regex engine cannot run the `i` flag, and the
// backtracking engine can be made to run for minutes by a short pattern (`a*a*a*a*!`). So a
// case-insensitive pattern is rewritten into a case-sensitive one that matches exactly the same
// strings: every literal becomes the class of the characters it is equal to under the `i` flag's
// Canonicalize (ECMAScript 22.2.2.7.3, non-unicode mode: toUpperCase when that gives a single code
// unit and does not map non-ASCII onto ASCII), and every character class gains the equivalents of
// its members. Match positions stay the same (the input is not transformed), so captures and
// $replace keep working.

/** Canonicalize of one UTF-16 code unit under the `i` flag without `u`. */
function canonicalize(code: number): number {
  const ch = String.fromCharCode(code);
  const upper = ch.toUpperCase();
  if (upper.length !== 1) return code;
  const result = upper.charCodeAt(0);
  return code >= 128 && result < 128 ? code : result;
}

/** For each canonical value, the other code units that canonicalize to it (about 1,100 of 65,536). */
// Built at load (some 30 ms), not on the first request that needs it.
const othersByCanonical = buildOthers();

function buildOthers(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (let code = 0; code <= 0xffff; code++) {
    const canonical = canonicalize(code);
    if (canonical === code) continue;
    const members = map.get(canonical);
    if (members) members.push(code);
    else map.set(canonical, [code]);
  }
  return map;
}

/** The code units equal to `code` under the `i` flag (itself included). */
function equivalents(code: number): number[] {
  const canonical = canonicalize(code);
  const members = othersByCanonical.get(canonical);
  return members ? [canonical, ...members] : [code];
}

function escapeInClass(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A class body listing the given code units as ranges. */
function classBody(codes: Iterable<number>): string {
  const sorted = [...new Set(codes)].sort((a, b) => a - b);
  let body = '';
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    body += j === i ? escapeInClass(sorted[i]!) : `${escapeInClass(sorted[i]!)}-${escapeInClass(sorted[j]!)}`;
    i = j + 1;
  }
  return body;
}

const classEscapes = new Set(['d', 'D', 'w', 'W', 's', 'S']);
const controlEscapes: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

type Escape = { kind: 'char'; code: number; length: number } | { kind: 'verbatim'; text: string };

/** Reads the escape at `pattern[at] === '\\'`; `inClass` because `\b` means backspace there. */
function readEscape(pattern: string, at: number, inClass: boolean): Escape {
  const next = pattern[at + 1];
  if (next === undefined) return { kind: 'verbatim', text: '\\' };
  const hex = (digits: number): number | undefined => {
    const text = pattern.slice(at + 2, at + 2 + digits);
    return text.length === digits && /^[0-9a-fA-F]+$/.test(text) ? parseInt(text, 16) : undefined;
  };
  if (next === 'x' && hex(2) !== undefined) return { kind: 'char', code: hex(2)!, length: 4 };
  if (next === 'u' && hex(4) !== undefined) return { kind: 'char', code: hex(4)!, length: 6 };
  if (next === 'c' && /[A-Za-z]/.test(pattern[at + 2] ?? '')) return { kind: 'char', code: pattern.charCodeAt(at + 2) % 32, length: 3 };
  if (next in controlEscapes) return { kind: 'char', code: controlEscapes[next]!, length: 2 };
  if (inClass && next === 'b') return { kind: 'char', code: 8, length: 2 };
  // Digits (back-references, \0), \b \B, \k<name> and the class escapes keep their meaning verbatim.
  if (/[0-9]/.test(next) || next === 'b' || next === 'B' || next === 'k' || classEscapes.has(next)) {
    return { kind: 'verbatim', text: `\\${next}` };
  }
  return { kind: 'char', code: next.charCodeAt(0), length: 2 };
}

/** Rewrites a class `[...]` starting at `at`; returns the new text and the index after `]`. */
function foldClass(pattern: string, at: number): { text: string; end: number } {
  let i = at + 1;
  const negated = pattern[i] === '^';
  if (negated) i++;
  const verbatim: string[] = [];
  const codes: number[] = [];
  const readAtom = (): { code?: number; text?: string } => {
    if (pattern[i] === '\\') {
      const escape = readEscape(pattern, i, true);
      if (escape.kind === 'verbatim') {
        i += escape.text.length;
        return { text: escape.text };
      }
      i += escape.length;
      return { code: escape.code };
    }
    return { code: pattern.charCodeAt(i++) };
  };
  // In JavaScript `]` always closes a class, even first (`[]` matches nothing).
  while (i < pattern.length && pattern[i] !== ']') {
    const low = readAtom();
    if (pattern[i] === '-' && pattern[i + 1] !== ']' && i + 1 < pattern.length && low.code !== undefined) {
      const save = i;
      i++;
      const high = readAtom();
      if (high.code !== undefined && high.code >= low.code) {
        for (let code = low.code; code <= high.code; code++) codes.push(...equivalents(code));
        continue;
      }
      // Not a range after all (`[\d-x]` style): let V8 judge the original text.
      i = save;
    }
    if (low.text !== undefined) verbatim.push(low.text);
    else codes.push(...equivalents(low.code!));
  }
  if (i >= pattern.length) throw new SyntaxError('Unterminated character class');
  return { text: `[${negated ? '^' : ''}${verbatim.join('')}${classBody(codes)}]`, end: i + 1 };
}

/**
 * A pattern without the `i` flag that matches the same strings as `pattern` with it (non-unicode
 * mode). Throws SyntaxError on an unterminated class; everything else is left to the RegExp
 * constructor to judge.
 */
export function foldCase(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    if (ch === '[') {
      const folded = foldClass(pattern, i);
      out += folded.text;
      i = folded.end;
    } else if (ch === '\\') {
      const escape = readEscape(pattern, i, false);
      if (pattern[i + 1] === 'k' && pattern[i + 2] === '<') {
        const close = pattern.indexOf('>', i);
        const end = close === -1 ? pattern.length : close + 1;
        out += pattern.slice(i, end);
        i = end;
      } else if (escape.kind === 'verbatim') {
        out += escape.text;
        i += escape.text.length;
      } else {
        out += literal(escape.code, pattern.slice(i, i + escape.length));
        i += escape.length;
      }
    } else if (ch === '(' && pattern[i + 1] === '?' && pattern[i + 2] === '<' && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
      // A named group's name is not text to match.
      const close = pattern.indexOf('>', i);
      const end = close === -1 ? pattern.length : close + 1;
      out += pattern.slice(i, end);
      i = end;
    } else if (ch === '{') {
      // A quantifier's bounds are digits; copy up to the closing brace (or just the brace).
      const match = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
      const text = match ? match[0] : '{';
      out += text;
      i += text.length;
    } else {
      out += '()|*+?.^$}]'.includes(ch) ? ch : literal(ch.charCodeAt(0), ch);
      i++;
    }
  }
  return out;
}

function literal(code: number, original: string): string {
  const same = equivalents(code);
  return same.length === 1 ? original : `[${classBody(same)}]`;
}
