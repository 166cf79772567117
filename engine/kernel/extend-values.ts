// kernel/extend-values: `{ ...base, ...extra }` for the hot paths of a record write.
//
// V8 (Node 20, V8 11.3) gives an object made by a spread a map outside the transition tree, so every
// property added after the spread — `{ ...base, createdAt, owner }`, or an assignment later — makes
// a new map: 5.5 µs for a six-field record and five more fields, against 0.3 µs copying key by key
// (bench/object-spread.ts). An import of 100,000 rows spent half a second of its writing thread on
// one such literal. A copy made here shares its maps with every other copy of the same shape.

/** A new object holding `base`'s own enumerable values, then each of `extras`' (an `undefined` is copied, as by a spread). */
export function extendValues<T extends object>(base: T, ...extras: (object | undefined)[]): T {
  const out: Record<string, unknown> = {};
  copyInto(out, base);
  for (const extra of extras) if (extra) copyInto(out, extra);
  return out as T;
}

function copyInto(out: Record<string, unknown>, from: object): void {
  for (const key of Object.keys(from)) {
    // A key "__proto__" (from JSON.parse) is a value like any other, as a spread would define it — never the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: (from as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
    else out[key] = (from as Record<string, unknown>)[key];
  }
}
