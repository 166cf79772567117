// The studio's cleansing undo when a restored value would clash: its dry run, opened from the job
// on the data quality page, shows the refusal — the record and field (its pointer) and the other
// record holding the value, in the UI language — and offers no undo; nothing is restored. Once the
// clash is gone, the dry run counts the records and the undo puts them back. Chromium against a
// real server; axe and screenshots at 1280 and 390 px, en and zh.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const fields = {
  name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } },
  code: { type: 'text', unique: true, label: { en: 'Supplier code', zh: '供应商代码' } },
};
const entity = { kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, titleField: 'name', fields };
const withRules = { ...entity, cleansing: { name: { trim: true }, code: { case: 'upper' } } };
// Codes typed in lower case before the entity had cleansing rules (spaces around a unique key are cut on every write).
const planted = [
  { name: 'Acme', code: 'ac-1' },
  { name: 'Borealis', code: 'bo-2' },
  { name: 'Cobalt', code: 'co-3' },
];

describe('studio: a cleansing undo that would clash', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ids = new Map<string, string>();
  let job: string;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.put('/api/meta/entities/supplier', entity)).status).toBe(201);
    for (const p of planted) ids.set(p.name, (await server.post<any>('/api/data/supplier', p)).body.id);
    expect((await server.put('/api/meta/entities/supplier', withRules)).status).toBe(200);
    const started = await server.post<any>('/api/quality/supplier/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    job = started.body.id;
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    expect((await server.get<any>(`/api/quality/cleanse-jobs/${job}`)).body.counts.written).toBe(planted.length);
    // The code rule is dropped; a new supplier takes the code Cobalt had before the cleanse.
    expect((await server.put('/api/meta/entities/supplier', { ...entity, cleansing: { name: { trim: true } } })).status).toBe(200);
    ids.set('Holder', (await server.post<any>('/api/data/supplier', { name: 'Holder', code: planted[2]!.code })).body.id);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const codes = async () => ((await server.get<any>('/api/data/supplier?limit=100')).body.items as { name: string; code: string }[]).map((r) => [r.name, r.code]).sort();

  it('shows the clash in the undo\u2019s dry run and offers no undo; once fixed, the undo restores', async () => {
    const before = await codes();
    for (const [language, width] of [['en', 1280], ['zh', 1280], ['zh', 390], ['en', 390]] as const) {
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto(`/data-quality/supplier?job=${job}`);
      await page.getByTestId('cleanse-undo').click();
      const dialog = page.getByRole('dialog');
      const alert = dialog.getByRole('alert');
      await alert.getByText(`/supplier/${ids.get('Cobalt')}/code`).waitFor();
      const text = (await alert.textContent()) ?? '';
      // The other record by its title, the field by its label, in the UI language.
      if (language === 'zh') expect(text).toMatch(new RegExp(`撤销清洗.*供应商代码.*「Holder」（${ids.get('Holder')}）`));
      else expect(text).toMatch(new RegExp(`nothing was restored.*Supplier code.*"Holder" \\(${ids.get('Holder')}\\)`));
      expect(await page.getByTestId('cleanse-undo-confirm').isDisabled()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'cleanse-undo-clash', language);
      await page.context().close();
    }
    expect(await codes()).toEqual(before);

    expect((await server.patch(`/api/data/supplier/${ids.get('Holder')}`, { code: 'HO-9' })).status).toBe(200);
    const page = await signedInPage({ browser, server, contexts, options: { language: 'en', width: 1280 } });
    await page.goto(`/data-quality/supplier?job=${job}`);
    await page.getByTestId('cleanse-undo').click();
    const report = page.getByTestId('cleanse-undo-report');
    await report.waitFor();
    expect(await report.getAttribute('data-restored')).toBe(String(planted.length));
    await page.getByTestId('cleanse-undo-confirm').click();
    await page.getByTestId('cleanse-undone').waitFor();
    expect(await codes()).toEqual([...planted.map((p) => [p.name, p.code]), ['Holder', 'HO-9']].sort());
  });
});
