// kernel/extend-values copies a record's values key by key instead of spreading them (a V8 cost,
// see bench/object-spread.ts). A key-by-key copy assigns, where a spread defines: held here to mean
// what a spread means, above all for a "__proto__" key parsed from JSON, which must stay a value.

import { describe, expect, it } from 'vitest';
import { extendValues } from '../../engine/kernel/extend-values.ts';

describe('extendValues', () => {
  it('is { ...base, ...extra }: later keys win, undefined values are copied, the inputs are left alone', () => {
    const base = { a: 1, b: 2, c: undefined };
    const extra = { b: 3, d: undefined };
    const out = extendValues(base, extra);
    expect(out).toStrictEqual({ ...base, ...extra });
    expect(Object.keys(out)).toEqual(Object.keys({ ...base, ...extra }));
    expect(base).toStrictEqual({ a: 1, b: 2, c: undefined });
    expect(out).not.toBe(base);
  });

  it('keeps a "__proto__" key from JSON as a value, as a spread does, never as the prototype', () => {
    const parsed = JSON.parse('{"name":"x","__proto__":{"isAdmin":true}}') as Record<string, unknown>;
    const out = extendValues(parsed, JSON.parse('{"__proto__":{"other":1}}') as object) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out['isAdmin']).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ other: 1 });
    expect(JSON.stringify(out)).toBe(JSON.stringify({ ...parsed, ...(JSON.parse('{"__proto__":{"other":1}}') as object) }));
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });
});
