// The pure parts behind admin-defaults.test.ts, case by case: a new view's starting columns, a
// workflow generated from a picklist, money and percentages as the UI language writes them.

import { describe, expect, it } from 'vitest';
import type { EntityDef, FormDef } from '../../studio/src/api/meta.ts';
import { starterColumns } from '../../studio/src/admin/views/view-model.ts';
import { workflowFromPicklist } from '../../studio/src/admin/workflows/workflow-model.ts';
import { formatCurrency, formatPercent } from '../../studio/src/i18n/format.ts';

const entity = (fields: EntityDef['fields'], titleField?: string): EntityDef => ({ kind: 'entity', name: 'thing', fields, ...(titleField ? { titleField } : {}) });

describe('starterColumns', () => {
  it('without a form: the title, then the fields as declared, long text, files and addresses left out, at most five', () => {
    const e = entity({ notes: { type: 'textarea' }, a: { type: 'text' }, name: { type: 'text' }, where: { type: 'address' }, b: { type: 'date' }, c: { type: 'file' }, d: { type: 'number' }, e: { type: 'picklist' }, f: { type: 'text' } }, 'name');
    expect(starterColumns(e, [])).toEqual(['name', 'a', 'b', 'd', 'e']);
  });
  it('with forms: the default form\'s order, not another form\'s', () => {
    const e = entity({ name: { type: 'text' }, a: { type: 'text' }, b: { type: 'text' } }, 'name');
    const other: FormDef = { kind: 'form', name: 'x', entity: 'thing', sections: { s: { fields: { a: { order: 1 }, b: { order: 2 } } } } };
    const main: FormDef = { kind: 'form', name: 'y', entity: 'thing', default: true, sections: { s: { fields: { b: { order: 1 }, a: { order: 2 } } } } };
    expect(starterColumns(e, [other, main])).toEqual(['name', 'b', 'a']);
  });
  it('an entity of long text only still gets a column', () => {
    expect(starterColumns(entity({ body: { type: 'textarea' } }), [])).toEqual(['body']);
  });
});

describe('workflowFromPicklist', () => {
  const options: [string, { label?: { en: string; zh: string } }][] = [['open', { label: { en: 'Open', zh: '打开' } }], ['won', { label: { en: 'Won', zh: '赢单' } }], ['lost', {}]];
  it('nothing ticked: every option one step to the next, as before, labelled by the target', () => {
    const wf = workflowFromPicklist({ name: 'w', entity: 'deal', field: 'stage', label: 'W', options, finals: [] });
    expect(wf.transitions).toEqual({ toWon: { label: { en: 'Won', zh: '赢单' }, from: 'open', to: 'won', order: 10 }, toLost: { label: 'lost', from: 'won', to: 'lost', order: 20 } });
    expect(Object.values(wf.states!).some((s) => s.final)).toBe(false);
  });
  it('two final options: both reached from the open state; the initial option is never final', () => {
    const wf = workflowFromPicklist({ name: 'w', entity: 'deal', field: 'stage', label: 'W', options, finals: ['open', 'won', 'lost'] });
    expect(wf.states!['open']).toMatchObject({ initial: true });
    expect(wf.states!['open']!.final).toBeUndefined();
    expect(wf.transitions).toEqual({ toWon: { label: { en: 'Won', zh: '赢单' }, from: 'open', to: 'won', order: 10 }, toLost: { label: 'lost', from: 'open', to: 'lost', order: 20 } });
  });
});

describe('money and percentages', () => {
  it.each([
    ['en', 'CNY', 1234.5, 'CN¥1,234.50'],
    ['zh', 'CNY', 1234.5, '¥1,234.50'],
    ['en', 'USD', -3, '-US$3.00'],
    ['en', undefined, 1234.5, '1,234.50'],
    ['en', 'NOTACODE', 2, '2.00 NOTACODE'],
  ] as const)('%s %s %d → %s', (language, currency, value, expected) => {
    expect(formatCurrency(value, language, currency).replace(/\u2212/g, '-')).toBe(expected);
  });
  it('a percent field\'s 12.5 is 12.5%', () => {
    expect(formatPercent(12.5, 'en')).toBe('12.5%');
    expect(formatPercent(40, 'zh')).toBe('40%');
  });
});
