// The forms duplicate rules compare: text folded (Unicode NFKC — full-width to half-width —, letter
// case, the accents of Latin and Greek letters, runs of spaces and punctuation, traditional Chinese
// characters as simplified ones: 張偉 is 张伟), e-mails lower-cased,
// phone numbers in E.164, a multi-valued field's values in sorted order (a set, not a sequence), and
// names as their words in sorted order so that "Smith, John" and "john  SMITH" fold alike. Similarity is
// 1 − edit distance ÷ the longer length (fastest-levenshtein), over characters: Chinese names
// compare character by character as Latin ones letter by letter.

import { distance } from 'fastest-levenshtein';
// The traditional-to-simplified build alone: a tenth of the size of the package's full one.
import * as OpenCC from 'opencc-js/t2cn';
import type { CompiledField } from '../compile/compiled-model.ts';
import { phoneToE164 } from './cleanse-values.ts';

/**
 * Changes whenever folding does: the keys kept for a rule were built by one version of it and are
 * built anew at start under another (match-keys.ts).
 */
export const foldVersion = 3; // 3: traditional Chinese as simplified

/** NFKC, lower case, Latin and Greek accents dropped, punctuation and spaces collapsed to single spaces. */
export function foldText(text: string): string {
  // Printable ASCII (most names, codes and cities of a Latin-script file) has nothing to normalize, no
  // marks and no Chinese; every character of it but letters and digits is punctuation, a symbol or a
  // space. The same result as foldAnyText (test/quality/fold-text.test.ts), without its six passes of
  // Unicode-property regular expressions — a write computes a record's duplicate keys two or three times.
  return printableAscii.test(text) ? text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim() : foldAnyText(text);
}

const printableAscii = /^[\x20-\x7e]*$/;

/** foldText for any text. */
export function foldAnyText(text: string): string {
  return text
    .normalize('NFKD')
    // "José" is often typed "Jose"; the marks of other scripts (Japanese voiced kana, Indic vowel signs) make other letters.
    .replace(/(?<=[\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim()
    .replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '') // "欧阳 娜娜" is "欧阳娜娜": Chinese names have no spaces
    .replace(hanRuns, (run) => toSimplified()(run));
}

const hanRuns = /\p{Script=Han}+/gu;

let simplify: ((text: string) => string) | undefined;

/**
 * Traditional Chinese to simplified, built on first use (~10 ms: a store holding no Chinese never
 * pays it). Hong Kong's preset: OpenCC's generic traditional table plus Hong Kong's variant forms
 * (衞 as well as 衛 is 卫); Taiwan's variants are also standard simplified characters (著 is not 着
 * in 著名), so folding them would merge different names.
 */
function toSimplified(): (text: string) => string {
  return (simplify ??= OpenCC.Converter({ from: 'hk', to: 'cn' }));
}

/** The words of a folded text in sorted order (transposed names fold alike); CJK text has no spaces and stays as it is. */
export function nameKey(text: string): string {
  return foldText(text).split(' ').filter(Boolean).sort().join(' ');
}

/** 1 for equal texts, towards 0 as they differ. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/** Phone numbers folded lately: a write folds its number for its duplicate key, a bulk import once more for the batch's lookup. */
const foldedPhones = new Map<string, string>();

function foldPhone(value: string, region: string | undefined): string {
  const memo = `${region ?? ''}\u0000${value}`;
  let folded = foldedPhones.get(memo);
  if (folded === undefined) {
    // Parsing a number costs ~10 µs; the memo is emptied when full rather than kept in order.
    if (foldedPhones.size >= 20_000) foldedPhones.clear();
    foldedPhones.set(memo, (folded = phoneToE164(value, region) ?? value.replace(/[^\d+]/g, '')));
  }
  return folded;
}

/** The comparable form of one value of a field (undefined: nothing to compare). */
export function foldValue(field: CompiledField | undefined, value: unknown, region?: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return JSON.stringify(value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).sort());
  if (typeof value !== 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  const type = field?.definition.type;
  if (type === 'phone') return foldPhone(value, region);
  if (type === 'email') return value.normalize('NFKC').trim().toLowerCase();
  return foldText(value);
}

/** Whether a field is compared by similarity in a fuzzy rule (names, titles: text-like, not phones or e-mails). */
export function isFuzzyText(field: CompiledField | undefined): boolean {
  const type = field?.definition.type;
  return type === 'text' || type === 'textarea';
}
