// bench/lib/studio-fixture: the metadata and records bench/studio.ts and bench/studio-profile.ts
// measure — a 200-field entity (10 sections × 20 fields: text, integer, picklist, date), its form,
// a 50-row list view, and 60 records — applied to a real test server.

import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { TestServer } from '../../test/support/test-server.ts';

const fieldTypes = ['text', 'integer', 'picklist', 'date'] as const;

export function benchMetadata(): unknown[] {
  const fields: Record<string, unknown> = { title: { type: 'text', label: 'Title', required: true } };
  const sections: Record<string, unknown> = {};
  for (let s = 0; s < 10; s++) {
    const sectionFields: Record<string, unknown> = {};
    for (let f = 0; f < 20; f++) {
      const name = `f${s}x${f}`;
      const type = fieldTypes[(s * 20 + f) % fieldTypes.length]!;
      fields[name] = { type, label: `Field ${s}.${f}`, ...(type === 'picklist' ? { options: { a: { label: 'Alpha' }, b: { label: 'Beta' }, c: { label: 'Gamma' } } } : {}) };
      sectionFields[name] = { order: f };
    }
    if (s === 0) sectionFields['title'] = { order: -1 };
    sections[`s${s}`] = { order: s * 10, label: `Section ${s}`, columns: 2, fields: sectionFields };
  }
  return [
    { kind: 'entity', name: 'wide', label: 'Wide record', pluralLabel: 'Wide records', titleField: 'title', fields },
    { kind: 'form', name: 'wideMain', entity: 'wide', label: 'Wide', default: true, sections },
    { kind: 'view', name: 'wideList', entity: 'wide', label: 'Wide list', type: 'list', default: true, pageSize: 50, columns: { title: { order: 1 }, f0x1: { order: 2 }, f0x2: { order: 3 }, f0x3: { order: 4 } } },
  ];
}

/** Applies the metadata and creates 60 records ("Wide 00" … "Wide 59"); returns the first one's id. */
export async function seedStudioBench(server: TestServer): Promise<string> {
  const applied = await server.post('/api/meta/apply', benchMetadata());
  if (applied.status !== 200) throw new Error(JSON.stringify(applied.body));
  const sample = { text: (s: number, f: number) => `value ${s}.${f}`, integer: (_s: number, f: number) => f, picklist: () => 'b', date: () => '2026-03-01' };
  const values: Record<string, unknown> = {};
  for (let s = 0; s < 10; s++) for (let f = 0; f < 20; f++) values[`f${s}x${f}`] = sample[fieldTypes[(s * 20 + f) % fieldTypes.length]!](s, f);
  let firstId = '';
  for (let i = 0; i < 60; i++) {
    const res = await server.post('/api/data/wide', { ...values, title: `Wide ${String(i).padStart(2, '0')}` });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    firstId ||= res.body.id;
  }
  return firstId;
}

/**
 * A signed-in page on the bench's wide list (50 rows shown), with a CDP session measuring main-thread
 * time: where the studio benchmarks start their in-app navigations.
 */
export async function openBenchPage(browser: Browser, server: TestServer): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  // tsx keeps function names with a `__name` helper that page.evaluate's serialized code lacks.
  await context.addInitScript('globalThis.__name = (f) => f');
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const login = await context.request.post('/api/auth/login', { data: { email: server.admin!.email, password: server.admin!.password } });
  if (login.status() !== 200) throw new Error('sign-in failed');
  await page.goto('/v/wideList');
  await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
  return { context, page, cdp };
}
