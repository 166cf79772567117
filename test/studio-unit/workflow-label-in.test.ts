// The workflow designer's one reading of a label into its form fields (studio/src/admin/workflows/
// workflow-model.ts, labelIn), used by the state drawer and the transition drawer alike. Before, the
// two drawers each had their own, and the state drawer left the Chinese field empty for a plain-string
// label, which is meant for every language.

import { describe, expect, it } from 'vitest';
import { labelIn } from '../../studio/src/admin/workflows/workflow-model.ts';

describe('labelIn', () => {
  it.each([
    ['a plain string, in English', 'Open', 'en', 'Open'],
    ['a plain string, in Chinese: the same text', 'Open', 'zh', 'Open'],
    ['a plain Chinese string, in English: the same text', '已完成', 'en', '已完成'],
    ['per language, in English', { en: 'Done', zh: '已完成' }, 'en', 'Done'],
    ['per language, in Chinese', { en: 'Done', zh: '已完成' }, 'zh', '已完成'],
    ['English only, in Chinese: nothing (no falling back)', { en: 'Done' }, 'zh', undefined],
    ['Chinese only, in English: nothing', { zh: '已完成' }, 'en', undefined],
    ['no label', undefined, 'zh', undefined],
  ] as const)('%s', (_case, label, language, expected) => {
    expect(labelIn(label, language)).toBe(expected);
  });
});
