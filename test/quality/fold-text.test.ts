// foldText takes a shortcut for printable ASCII; it must fold exactly as the general path does, or
// duplicate keys kept by one would not match keys computed by the other.

import { describe, expect, it } from 'vitest';
import { foldAnyText, foldText } from '../../engine/records/fold-values.ts';

/** A deterministic generator (mulberry32), so that a failure is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('foldText on printable ASCII', () => {
  it('folds every printable ASCII character alone as the general path does', () => {
    for (let code = 0x20; code <= 0x7e; code++) {
      const text = `Ab${String.fromCharCode(code)}Cd`;
      expect(foldText(text), JSON.stringify(text)).toBe(foldAnyText(text));
    }
  });

  it('folds 20,000 random printable ASCII texts as the general path does', () => {
    const next = random(14);
    for (let i = 0; i < 20_000; i++) {
      const length = Math.floor(next() * 24);
      let text = '';
      for (let j = 0; j < length; j++) text += String.fromCharCode(0x20 + Math.floor(next() * 95));
      expect(foldText(text), JSON.stringify(text)).toBe(foldAnyText(text));
    }
  });

  it('leaves other texts to the general path (accents, full-width, Chinese, tabs)', () => {
    expect(foldText('José  GARCÍA')).toBe('jose garcia');
    expect(foldText('Ｃａｒｌ　Ｈｏｕｓｅ')).toBe('carl house');
    expect(foldText('欧阳 娜娜')).toBe('欧阳娜娜');
    expect(foldText('a\tb')).toBe('a b');
  });
});
