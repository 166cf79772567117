// Numbers inside the UI's strings (studio/src/i18n/interpolation.ts): "{{count, number}}" written
// with its digits grouped, through format.ts, in English and Chinese; plurals still chosen by count.
// The studio's own string files, in a fresh i18next instance; expected strings written out here.

import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../studio/src/i18n/en.json' with { type: 'json' };
import zh from '../../studio/src/i18n/zh.json' with { type: 'json' };
import importStrings from '../../studio/src/import/import.i18n.json' with { type: 'json' };
import { registerNumberFormat } from '../../studio/src/i18n/interpolation.ts';

const t = i18next.createInstance();

beforeAll(async () => {
  await t.init({ resources: { en: { translation: { ...en, ...importStrings.en } }, zh: { translation: { ...zh, ...importStrings.zh } } }, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false } });
  registerNumberFormat(t);
});

describe('counts in the UI strings', () => {
  it.each([
    ['en', 'list.total', { count: 1234567, page: 2 }, '1,234,567 records · page 2'],
    ['zh', 'list.total', { count: 1234567, page: 2 }, '共 1,234,567 条 · 第 2 页'],
    ['en', 'list.total', { count: 1, page: 1 }, '1 record · page 1'],
    ['en', 'list.total', { count: 12345, page: 1234 }, '12,345 records · page 1,234'],
    ['en', 'kanban.count', { count: 1234 }, '1,234 records'],
    ['zh', 'kanban.count', { count: 1234 }, '1,234 条记录'],
    ['en', 'list.bulkDone', { count: 999 }, '999 records changed'],
    ['zh', 'list.bulkDone', { count: 10000 }, '已修改 10,000 条记录'],
    ['en', 'importWizard.result_done', { count: 12345 }, 'Imported: 12,345 records created or updated.'],
    ['zh', 'importWizard.stateCommitted', { line: 12345, rows: 100000 }, '已提交到第 12,345 行 · 已读 100,000 行'],
  ] as const)('%s %s %o reads %s', (lng, key, values, expected) => {
    expect(t.t(key, { ...values, lng })).toBe(expected);
  });

  it('writes through format.ts, not i18next\'s own number format (which stops at three decimals)', () => {
    expect(t.t('kanban.count', { count: 1234.56789, lng: 'en' })).toBe('1,234.56789 records');
  });

  it('leaves a count already written out (a string) as it is', () => {
    expect(t.t('kanban.count', { count: '1,234', lng: 'en' } as never)).toBe('1,234 records');
  });
});
