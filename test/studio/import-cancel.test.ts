// Cancelling an import from the recent imports: a job whose process died mid-way (the real `crm
// import`, killed with SIGKILL once a batch committed) shows as running; its owner cancels it by
// keyboard instead of resuming it. It then reads "Cancelled", stopped after its last committed line,
// the records of that batch stay — exactly those — and its Undo takes them back. en at 1280 px and
// zh at 390 px, axe-clean.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { killedImport, startImportSuite, type ImportSuite } from '../support/import-suite.ts';

const entity = { kind: 'entity', name: 'meterReading', label: { en: 'Meter reading', zh: '抄表读数' }, titleField: 'code', fields: { code: { type: 'text', required: true }, value: { type: 'integer' } } };
const rows = 5000;
const mapping = { name: 'meter-readings', targets: [{ entity: 'meterReading', columns: { code: 'code', value: 'value' } }] };

describe('studio: cancel an import', { timeout: 600_000 }, () => {
  let suite: ImportSuite;
  let jobId: string;
  let committed: number;

  beforeAll(async () => {
    suite = await startImportSuite({
      name: 'cancel', metadata: [entity],
      files: { 'readings.csv': ['code,value', ...Array.from({ length: rows }, (_, i) => `M${i + 1},${i + 1}`)].join('\n') + '\n', 'readings.json': JSON.stringify(mapping) },
    });
    // The real `crm import` on the server's data folder, killed once a batch committed.
    const killed = await killedImport({ server: suite.fx.server, file: suite.files['readings.csv']!, mapping: suite.files['readings.json']!, batches: 1 });
    jobId = killed.id;
    expect(killed.job.status).toBe('running');
    committed = killed.job.counts.created;
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(rows);
  }, 300_000);
  afterAll(() => suite?.close());

  const recentImports = async (language: 'en' | 'zh', width: number): Promise<Page> => {
    const page = await suite.page({ language, width });
    await page.goto('/import');
    await page.getByRole('tab', { name: language === 'en' ? 'Recent imports' : '最近的导入' }).click();
    return page;
  };
  const stored = async () => (await suite.fx.server.get('/api/data/meterReading?total=1&limit=1')).body.total;

  it('cancels a job left running, by keyboard; what committed stays, and undo takes it back', async () => {
    const page = await recentImports('en', 1280);
    const cancel = page.getByRole('button', { name: 'Cancel the import of readings.csv' });
    await cancel.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await cancel.focus();
    await page.keyboard.press('Enter');
    const row = tableRows(page.getByTestId('import-jobs')).filter({ hasText: 'readings.csv' });
    await row.getByText('Cancelled', { exact: true }).waitFor();
    const job = (await suite.fx.server.get(`/api/import/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ status: 'cancelled', counts: { created: committed } });
    expect(await page.getByTestId(`import-job-state-${jobId}`).textContent()).toBe(`Stopped after line ${new Intl.NumberFormat('en-GB').format(job.checkpoint)}`);
    expect(await row.getByRole('button', { name: /Resume|Cancel/ }).count()).toBe(0);
    await row.getByRole('button', { name: /Undo import/ }).waitFor();
    expect(await stored()).toBe(committed);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-cancelled', 'en');
  });

  it('shows the cancelled job in Chinese at 390 px', async () => {
    const page = await recentImports('zh', 390);
    const row = tableRows(page.getByTestId('import-jobs')).filter({ hasText: 'readings.csv' });
    await row.getByText('已取消', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-cancelled', 'zh');
  });

  it('undoes what the cancelled job wrote', async () => {
    const undone = await suite.fx.server.post(`/api/import/jobs/${jobId}/undo`);
    expect(undone.status).toBe(202);
    // The undo runs as a job: waited for through the API.
    await eventually(async () => (await suite.fx.server.get(`/api/import/jobs/${jobId}`)).body.status).toBe('undone');
    expect((await suite.fx.server.get(`/api/import/jobs/${jobId}/undo`)).body.deleted).toBe(committed);
    expect(await stored()).toBe(0);
  });
});
