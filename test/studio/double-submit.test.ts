// One press, one job: the buttons of the import wizard and the duplicates page that start work on
// the server, double clicked in chromium against a real server. Each sent its request twice (its
// loading state reached it only after the second click): two dry runs, two imports writing every
// record twice, a merge and a refused second one, an undo done while the dialog showed the second
// one's refusal, an import's undo and a refused second one (that one not every time: it raced the
// dialog's closing), a bulk merge whose second, refused, answer replaced the first ("0 merged, 2
// failed", and no Undo for what was merged), and a batch's undo shown as refused. Resume and Cancel
// of a running import (in the recent imports and on the wizard's last step) likewise sent two: a
// job stopped by the first cancel was told "nothing to cancel" by the second. The wizard's "Save
// mapping" saved twice, and "Download configuration" on the transfer page fetched the bundle twice
// and downloaded two files.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { plantedSuppliers, supplier } from '../support/duplicate-suppliers.ts';
import { holdImportBatches } from '../support/import-suite.ts';
import { upload } from '../import/support.ts';
import { chooseImportFile, closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// More rows than an import's first batch (run-import.ts: 500): the job is held, running, before its second.
const reading = { kind: 'entity', name: 'meterReading', label: { en: 'Meter reading', zh: '抄表读数' }, titleField: 'code', fields: { code: { type: 'text', required: true }, value: { type: 'integer' } } };
const readingsCsv = ['code,value', ...Array.from({ length: 2000 }, (_, i) => `M${i + 1},${i + 1}`)].join('\n') + '\n';

const csv = ['Name,E-mail,City', 'Twice A,twice-a@example.test,Hangzhou', 'Twice B,twice-b@example.test,Suzhou'].join('\r\n') + '\r\n';

/** How many `method` requests the page has sent whose path and query match `pattern` (a dry run's `?dryRun` too), so far. */
function countRequests(page: Page, method: string, pattern: RegExp): () => number {
  let sent = 0;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === method && pattern.test(url.pathname + url.search)) sent++;
  });
  return () => sent;
}

describe('studio: a double click starts one job', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  let file: string;
  let readings: string;
  const contexts: BrowserContext[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [supplier, reading])).status).toBe(200);
    for (const p of plantedSuppliers) {
      const res = await server.post<any>('/api/data/supplier', p);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-double-submit-'));
    file = path.join(dir, 'suppliers.csv');
    await writeFile(file, csv);
    readings = path.join(dir, 'readings.csv');
    await writeFile(readings, readingsCsv);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server], dir }));

  it('the import wizard: one dry run, one import (each record once), one undo', async () => {
    const jobs = async () => (await server.get<any>('/api/import/jobs')).body.items as { id: string; mode: string }[];
    const before = new Set((await jobs()).map((j) => j.id));
    const started = async () => (await jobs()).filter((j) => !before.has(j.id)).map((j) => j.mode).sort();
    const page = await signedInPage({ browser, server, contexts });
    const undos = countRequests(page, 'POST', /^\/api\/import\/jobs\/[^/]+\/undo$/);
    await page.goto('/import');
    await chooseImportFile(page, 'Supplier', file);
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-start-dry-run').dblclick();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
    expect(await started()).toEqual(['dryRun']);

    await page.getByTestId('import-commit').dblclick();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    expect(await started()).toEqual(['dryRun', 'validOnly']);
    const imported = await server.get<any>(`/api/data/supplier?total=1&filter=${encodeURIComponent(JSON.stringify({ name: { $in: ['Twice A', 'Twice B'] } }))}`);
    expect(imported.body.total).toBe(2);

    await page.getByTestId('import-result').getByRole('button', { name: 'Undo import' }).click();
    await page.getByTestId('import-undo-report').waitFor();
    await page.getByTestId('import-undo-confirm').dblclick();
    await page.getByTestId('import-undone').waitFor();
    expect(undos()).toBe(1);
  });

  it('the wizard’s Save mapping: one request, saved once', async () => {
    const page = await signedInPage({ browser, server, contexts });
    const saves = countRequests(page, 'PUT', /^\/api\/import\/mappings\/suppliers-twice$/);
    await page.goto('/import');
    await chooseImportFile(page, 'Supplier', file);
    await page.getByLabel('Save this mapping as', { exact: true }).fill('suppliers-twice');
    await page.getByTestId('import-save-mapping').dblclick();
    await page.getByText('Mapping “suppliers-twice” saved.').first().waitFor();
    expect(saves()).toBe(1);
    expect((await server.get('/api/import/mappings/suppliers-twice')).status).toBe(200);
  });

  it('the transfer page’s Download configuration: one request, one file', async () => {
    const page = await signedInPage({ browser, server, contexts });
    const fetches = countRequests(page, 'GET', /^\/api\/meta\/bundle$/);
    let downloads = 0;
    page.on('download', () => void downloads++);
    await page.goto('/admin/transfer');
    const first = page.waitForEvent('download');
    await page.getByTestId('export-bundle').dblclick();
    await first;
    await page.getByTestId('export-summary').waitFor();
    expect(fetches()).toBe(1);
    expect(downloads).toBe(1);
  });

  it('a merge and its undo: one request each, and the undo reported as done', async () => {
    const page = await signedInPage({ browser, server, contexts });
    const merges = countRequests(page, 'POST', /^\/api\/quality\/supplier\/merge$/);
    const undos = countRequests(page, 'POST', /^\/api\/quality\/merges\/[^/]+\/undo$/);
    await page.goto('/data-quality/supplier/duplicates');
    await page.locator(`[data-testid="duplicate-cluster"][data-ids*="${ids[2]}"]`).getByTestId('duplicate-merge').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('merge-field-email').waitFor();
    await dialog.getByTestId('merge-confirm').dblclick();
    await dialog.getByTestId('merge-result').waitFor();
    expect(merges()).toBe(1);
    for (const gone of [ids[1], ids[2]]) expect((await server.get(`/api/data/supplier/${gone}`)).status).toBe(404);

    await dialog.getByTestId('merge-undo').dblclick();
    // (The second undo was refused, and the dialog showed that refusal instead of the undo done.)
    await dialog.getByTestId('merge-undone').waitFor();
    expect(await dialog.getByRole('alert').count()).toBe(0);
    expect(undos()).toBe(1);
    for (const back of ids.slice(0, 3)) expect((await server.get(`/api/data/supplier/${back}`)).status).toBe(200);
  });

  it('a bulk merge and its batch’s undo: one request each, and the undo reported as done', async () => {
    for (const name of ['Zhao Foods', 'ZHAO  FOODS']) expect((await server.post('/api/data/supplier', { name })).status).toBe(201);
    const page = await signedInPage({ browser, server, contexts });
    const merges = countRequests(page, 'POST', /^\/api\/quality\/supplier\/merge-groups$/);
    const undos = countRequests(page, 'POST', /^\/api\/quality\/merge-batches\/[^/]+\/undo$/);
    await page.goto('/data-quality/supplier/duplicates');
    await page.getByTestId('duplicate-cluster').first().waitFor();
    for (const select of await page.getByTestId('duplicate-select').all()) await select.check();
    await page.getByTestId('duplicates-bulk').click();
    await page.getByTestId('duplicates-bulk-confirm').dblclick();
    await page.getByTestId('duplicates-batch-undo').waitFor();
    expect(merges()).toBe(1);
    await page.getByTestId('duplicates-batch-undo').dblclick();
    await page.getByTestId('duplicates-batch').getByText('Batch undone', { exact: false }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(undos()).toBe(1);
  });

  it('a running import’s Resume and Cancel in the recent imports: one request each, and no refusal shown', async () => {
    const hold = holdImportBatches(server, (job) => job.mode !== 'dryRun' && job.counts.rows > 0);
    try {
      const started = await server.post<{ id: string }>('/api/import/jobs', { upload: await upload(server, readings, 'readings.csv'), mapping: { name: 'readings', targets: [{ entity: 'meterReading', columns: { code: 'code', value: 'value' } }] }, mode: 'validOnly' });
      expect(started.status).toBe(202);
      const held = await hold.reached;
      const page = await signedInPage({ browser, server, contexts });
      const resumes = countRequests(page, 'POST', new RegExp(`^/api/import/jobs/${held.id}/resume$`));
      const cancels = countRequests(page, 'POST', new RegExp(`^/api/import/jobs/${held.id}/cancel$`));
      await page.goto('/import');
      await page.getByRole('tab', { name: 'Recent imports' }).click();
      await page.getByRole('button', { name: 'Resume the import of readings.csv' }).dblclick();
      await page.locator('.ant-message-success').waitFor();
      expect(resumes()).toBe(1);
      await page.getByRole('button', { name: 'Cancel the import of readings.csv' }).dblclick();
      await page.getByTestId(`import-job-status-${held.id}`).getByText('Cancelled', { exact: true }).waitFor();
      await page.locator('.ant-message-success', { hasText: 'stopped after' }).waitFor();
      expect(cancels()).toBe(1);
      expect(await page.locator('.ant-message-error').count()).toBe(0);
    } finally {
      hold.release();
    }
  });

  it('the wizard’s Cancel of the running import: one request, and no refusal shown', async () => {
    const hold = holdImportBatches(server, (job) => job.mode !== 'dryRun' && job.counts.rows > 0);
    try {
      const page = await signedInPage({ browser, server, contexts });
      await page.goto('/import');
      await chooseImportFile(page, 'Meter reading', readings);
      await page.getByTestId('import-next').click();
      await page.getByTestId('import-start-dry-run').click();
      await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).click();
      const held = await hold.reached;
      const cancels = countRequests(page, 'POST', new RegExp(`^/api/import/jobs/${held.id}/cancel$`));
      await page.getByTestId('import-cancel').dblclick();
      await page.locator('[data-testid="import-result"][data-status="cancelled"]').waitFor();
      expect(cancels()).toBe(1);
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      hold.release();
    }
  });
});
