// JSONata built-ins that build strings, replaced by size-checked versions: a timeout is checked
// only between evaluation steps, and one `$pad('', 500000000)` is a single step that takes seconds
// and half a gigabyte. Each refuses, before doing the work, a result longer than maxStringLength.
// Registered once per compiled expression (at compile time, never per call).

export const maxStringLength = 1_000_000;

function tooLong(name: string, length: number): Error {
  return Object.assign(new Error(`$${name} would build a string of ${length} characters (the limit is ${maxStringLength})`), { code: 'EXPR_SIZE', zh: `$${name} 会生成 ${length} 个字符的字符串（上限为 ${maxStringLength}）` });
}

function lengthOf(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

/** `$pad(str, width, char)`: the width is checked first. */
function pad(this: unknown, str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  const w = Math.trunc(width);
  if (Math.abs(w) > maxStringLength) throw tooLong('pad', Math.abs(w));
  const fill = char === undefined || char.length === 0 ? ' ' : char;
  const missing = Math.abs(w) - lengthOf(str);
  if (missing <= 0) return str;
  const padding = [...fill.repeat(Math.ceil(missing / [...fill].length))].slice(0, missing).join('');
  return w > 0 ? str + padding : padding + str;
}

/** `$join(array, separator)`: the total length is checked first. */
function join(this: unknown, strings: string[] | string | undefined, separator?: string): string | undefined {
  if (strings === undefined) return undefined;
  const list = Array.isArray(strings) ? strings : [strings];
  for (const s of list) if (typeof s !== 'string') throw Object.assign(new Error('$join: every item must be a string'), { code: 'T0412', zh: '$join：每一项都必须是字符串' });
  const total = list.reduce((n, s) => n + s.length, 0) + Math.max(0, list.length - 1) * (separator ?? '').length;
  if (total > maxStringLength) throw tooLong('join', total);
  return list.join(separator ?? '');
}

export interface BoundedFunction {
  name: string;
  implementation: (...args: never[]) => unknown;
  signature: string;
}

/** Signatures as JSONata declares them, so context binding and type checks behave the same. */
export const boundedFunctions: readonly BoundedFunction[] = [
  { name: 'pad', implementation: pad as BoundedFunction['implementation'], signature: '<s-ns?:s>' },
  { name: 'join', implementation: join as BoundedFunction['implementation'], signature: '<a<s>s?:s>' },
];

/** A result too large to keep or send: checked after every evaluation. */
export function checkResultSize(value: unknown): void {
  if (typeof value === 'string' && value.length > maxStringLength) throw tooLong('result', value.length);
}
