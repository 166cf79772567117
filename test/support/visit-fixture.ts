// A "visit" entity the studio's control suites share (control-names-language, icon-names,
// record-lazy-controls): one field of each kind the record form draws lazily or antd names itself —
// a title, a picklist (one option coloured), a required date, an integer, a currency, a percent and a
// number — every label in English and Chinese; a form that puts the figures in a read-only section;
// and, when asked, a few visits to show.

import { expect } from 'vitest';
import type { TestServer } from './test-server.ts';

export const visitEntity = {
  kind: 'entity', name: 'visit', label: { en: 'Visit', zh: '拜访' }, titleField: 'title',
  fields: {
    title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
    kind: { type: 'picklist', label: { en: 'Kind', zh: '类型' }, options: { call: { label: { en: 'Call', zh: '电话' }, color: '#1677ff' }, onsite: { label: { en: 'On site', zh: '上门' } }, remote: { label: { en: 'Remote', zh: '远程' } } } },
    day: { type: 'date', required: true, label: { en: 'Day', zh: '日期' } },
    guests: { type: 'integer', label: { en: 'Guests', zh: '来宾' } },
    budget: { type: 'currency', currency: 'CNY', label: { en: 'Budget', zh: '预算' } },
    share: { type: 'percent', label: { en: 'Share', zh: '占比' } },
    weight: { type: 'number', scale: 2, label: { en: 'Weight', zh: '重量' } },
  },
} as const;

export const visitForm = {
  kind: 'form', name: 'visitMain', entity: 'visit', label: { en: 'Visit', zh: '拜访' }, default: true,
  sections: {
    main: { order: 1, label: { en: 'Visit', zh: '拜访信息' }, columns: 1, fields: { title: { order: 1 }, kind: { order: 2 }, day: { order: 3 }, guests: { order: 4 } } },
    figures: { order: 2, label: { en: 'Figures', zh: '数额' }, columns: 2, fields: { budget: { order: 1, readOnly: true }, share: { order: 2, readOnly: true }, weight: { order: 3, readOnly: true } } },
  },
} as const;

/**
 * Applies the visit entity and its form, then creates `visits` visits ("拜访 1" …: the second on
 * site, the others calls; guests 1, 2, 3; budgets 100, 200, 300) and answers their ids in order.
 */
export async function setUpVisits(server: TestServer, options: { visits?: number } = {}): Promise<string[]> {
  const applied = await server.post('/api/meta/apply', [visitEntity, visitForm]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  const ids: string[] = [];
  for (let i = 1; i <= (options.visits ?? 0); i++) {
    const res = await server.post('/api/data/visit', { title: `拜访 ${i}`, kind: i === 2 ? 'onsite' : 'call', day: '2026-12-01', guests: i, budget: i * 100 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}
