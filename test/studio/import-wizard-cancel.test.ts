// Cancelling from the import wizard's last step: a user who started the wrong file stops it where
// they watch it run. The job is held by the server between its first and second batch (the import
// service's seam: no sleeping, no race with a large file), so it is still running when the user
// presses Cancel (by keyboard); the cancel reaching the server lets it go, and it stops before its
// next batch. The step then says it was cancelled, how many records the committed batch wrote (they
// stay: exactly those, counted through the API) and after which line it stopped; the focus is on
// that result, and Undo is offered. en at 1280 px and zh at 390 px, axe-clean, with screenshots of
// both states.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations } from '../support/browser.ts';
import { holdImportBatches, startImportSuite, type ImportSuite } from '../support/import-suite.ts';

const entity = { kind: 'entity', name: 'meterReading', label: { en: 'Meter reading', zh: '抄表读数' }, titleField: 'code', fields: { code: { type: 'text', required: true }, value: { type: 'integer' } } };
// More rows than the first batch (run-import.ts: 500), so that the job has a batch left to stop before.
const rows = 2000;
const csv = ['code,value', ...Array.from({ length: rows }, (_, i) => `M${i + 1},${i + 1}`)].join('\n') + '\n';

const words = {
  en: { entity: 'Meter reading', cancel: 'Cancel the import of readings.csv', locale: 'en-GB',
    result: (n: string) => `Cancelled: ${n} records created or updated before it stopped stay (undo takes them back).`,
    stoppedAt: (line: string) => `Stopped after line ${line} of readings.csv: the lines below it were not imported.`, undo: 'Undo import' },
  zh: { entity: '抄表读数', cancel: '取消导入 readings.csv', locale: 'zh-CN',
    result: (n: string) => `已取消：停止前新建或更新的 ${n} 条记录保留（可撤销）。`,
    stoppedAt: (line: string) => `在 readings.csv 的第 ${line} 行之后停止：其后的行没有导入。`, undo: '撤销导入' },
} as const;

describe('studio: cancel an import from the wizard', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'wizard-cancel', metadata: [entity], files: { 'readings.csv': csv } });
  }, 300_000);
  afterAll(() => suite?.close());

  const stored = async () => (await suite.fx.server.get('/api/data/meterReading?total=1&limit=1')).body.total as number;
  /** From the mapping step (the columns are suggested by the fields' names) through the dry run to the import. */
  const startImport = async (page: Page) => {
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start-dry-run').click();
    const commit = page.getByTestId('import-commit').and(page.locator(':not([disabled])'));
    await commit.waitFor();
    await commit.click();
  };

  for (const { language, width } of [{ language: 'en', width: 1280 }, { language: 'zh', width: 390 }] as const) {
    it(`${language} at ${width} px: Cancel on the running import, by keyboard; what the committed batch wrote stays, said plainly`, async () => {
      const w = words[language];
      const number = (n: number) => new Intl.NumberFormat(w.locale).format(n);
      // The import (not its dry run) is held once its first batch has committed.
      const before = await stored();
      const hold = holdImportBatches(suite.fx.server, (job) => job.mode !== 'dryRun' && job.counts.rows > 0);
      try {
        const page = await suite.openWizard({ language, width, entity: w.entity, file: 'readings.csv' });
        await startImport(page);
        const held = await hold.reached;
        const committed = held.job.counts.created;
        expect(committed).toBeGreaterThan(0);
        expect(committed).toBeLessThan(rows);
        await eventually(stored).toBe(before + committed);

        const cancel = page.getByRole('button', { name: w.cancel });
        await cancel.waitFor();
        await page.locator('[data-testid="import-result"][data-status="running"]').waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'import-wizard-cancel-running', language);

        // The cancel reaching the server lets the held job go: it stops before its next batch.
        await cancel.focus();
        await page.keyboard.press('Enter');
        await page.locator('[data-testid="import-result"][data-status="cancelled"]').waitFor();
        const job = (await suite.fx.server.get(`/api/import/jobs/${held.id}`)).body;
        expect(job).toMatchObject({ status: 'cancelled', counts: { created: committed, rows: held.job.counts.rows }, checkpoint: held.job.checkpoint });
        expect(await stored()).toBe(before + committed);
        await page.getByText(w.result(number(committed)), { exact: true }).waitFor();
        expect(await page.getByTestId('import-cancelled-at').textContent()).toBe(w.stoppedAt(number(job.checkpoint)));
        // The button the user pressed is gone: the focus is on what it did.
        expect(await page.getByRole('button', { name: w.cancel }).count()).toBe(0);
        expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="import-result"]') !== null)).toBe(true);
        await page.getByRole('button', { name: w.undo }).waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'import-wizard-cancelled', language);

        // Undone: what the cancelled job wrote, exactly.
        const undone = await suite.fx.server.post(`/api/import/jobs/${held.id}/undo`);
        expect(undone.status).toBe(202);
        // The undo runs as a job: waited for through the API.
        await eventually(async () => (await suite.fx.server.get(`/api/import/jobs/${held.id}`)).body.status).toBe('undone');
        expect((await suite.fx.server.get(`/api/import/jobs/${held.id}/undo`)).body.deleted).toBe(committed);
        expect(await stored()).toBe(before);
      } finally {
        hold.release();
      }
    });
  }
});
