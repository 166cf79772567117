// Cancelling the import wizard's dry run: a dry run of a large file takes as long as its import, and
// a user who sees from its first rejected rows that the mapping is wrong stops it there. The dry run
// is held by the server after its first batch (the import service's seam: no sleeping, no race with
// a large file), its rejected rows listed as they came, so it is still running when the user
// reaches Cancel with Tab and presses Enter; the cancel reaching the server lets it go, and it stops
// before its next batch. The step then says after which line it stopped and how many rows it
// checked (as the API counts them: computed here from the file too), keeps the rows it rejected
// listed and downloadable (with the file's columns), the focus on what the cancel did, and Import
// disabled; back on the mapping, the wrong column swapped for the right one, the dry run runs again
// to its end. en at 1280 px and zh at 390 px, axe-clean, with screenshots. And the import step's
// wording for an import cancelled before its first batch: nothing was imported, nothing to undo; and
// the recent imports' Cancel of a running dry run, named and explained as a dry run's.

import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { upload } from '../import/support.ts';
import { holdImportBatches, startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { pickOption } from '../support/studio-fixture.ts';

const entity = { kind: 'entity', name: 'meterReading', label: { en: 'Meter reading', zh: '抄表读数' }, titleField: 'code', fields: { code: { type: 'text', required: true, label: { en: 'Meter code', zh: '表号' } }, value: { type: 'integer', label: { en: 'Reading', zh: '读数' } } } };
// More rows than a first batch (run-import.ts: 500). The old system's `value` column is what it
// showed — a unit after some readings — while `kwh` holds the number: the suggested mapping (by the
// field's name) takes the wrong one.
const rows = 2000;
const source = Array.from({ length: rows }, (_, i) => ({ line: i + 2, code: `M${i + 1}`, value: i % 5 === 2 ? `${i + 1} kWh` : String(i + 1), kwh: String(i + 1) }));
const csv = ['code,value,kwh', ...source.map((r) => `${r.code},${r.value},${r.kwh}`)].join('\n') + '\n';

const words = {
  en: {
    entity: 'Meter reading', locale: 'en-GB', cancel: 'Cancel the dry run of readings.csv', back: 'Back to the mapping', fieldFor: 'Field for column kwh', field: 'Reading',
    stoppedAt: (line: string, checked: string) => `Dry run cancelled after line ${line} of readings.csv: ${checked} rows checked, the lines below it were not. Nothing was written.`,
    next: 'Fix the mapping and run the dry run again: only a dry run of the whole file leads to the import.',
    done: (n: string) => `Dry run finished: ${n} rows checked, nothing written.`,
    cancelImport: 'Cancel the import of readings.csv', nothingImported: 'Cancelled: no record was created or updated, so there is nothing to undo.', beforeAny: 'Stopped before any line of readings.csv was imported.', undo: 'Undo import',
  },
  zh: {
    entity: '抄表读数', locale: 'zh-CN', cancel: '取消 readings.csv 的试运行', back: '返回映射', fieldFor: 'kwh 列对应的字段', field: '读数',
    stoppedAt: (line: string, checked: string) => `试运行已在 readings.csv 的第 ${line} 行之后取消：检查了 ${checked} 行，其后的行没有检查。未写入任何数据。`,
    next: '修正映射后再次运行试运行：只有检查了整个文件的试运行才能进入导入。',
    done: (n: string) => `试运行完成：检查了 ${n} 行，未写入任何数据。`,
    cancelImport: '取消导入 readings.csv', nothingImported: '已取消：没有新建或更新任何记录，无需撤销。', beforeAny: '在 readings.csv 的任何一行导入之前就已停止。', undo: '撤销导入',
  },
} as const;

describe('studio: cancel the import wizard\u2019s dry run', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'dry-run-cancel', metadata: [entity], files: { 'readings.csv': csv } });
  }, 300_000);
  afterAll(() => suite?.close());

  const stored = async () => (await suite.fx.server.get('/api/data/meterReading?total=1&limit=1')).body.total as number;
  /** A count as the step shows it (antd's Statistic groups thousands with commas in every language). */
  const shownCount = async (page: Page, key: string) => Number((await page.getByTestId('import-counts').getByTestId(`import-count-${key}`).locator('.ant-statistic-content-value').textContent())?.replaceAll(',', ''));
  /** From the mapping step through the preview to the dry run's step. */
  const startDryRun = async (page: Page) => {
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-dry-run').waitFor();
  };

  for (const { language, width } of [{ language: 'en', width: 1280 }, { language: 'zh', width: 390 }] as const) {
    it(`${language} at ${width} px: Cancel on the running dry run, by keyboard; the rows it rejected stay; fixed, it runs again`, async () => {
      const w = words[language];
      const number = (n: number) => new Intl.NumberFormat(w.locale).format(n);
      const before = await stored();
      const hold = holdImportBatches(suite.fx.server, (job) => job.mode === 'dryRun' && job.counts.rows > 0);
      let page: Page;
      let id: string;
      try {
        page = await suite.openWizard({ language, width, entity: w.entity, file: 'readings.csv' });
        await startDryRun(page);
        const held = await hold.reached;
        id = held.id;
        expect(held.job.counts.rows).toBeGreaterThan(0);
        expect(held.job.counts.rows).toBeLessThan(rows);
        expect(held.job.counts.rejected).toBeGreaterThan(0);

        // The first batch's rejected rows are on the screen while the dry run waits: what shows the mapping is wrong.
        await eventually(() => shownCount(page, 'rejected')).toBe(held.job.counts.rejected);
        const rejected = page.getByTestId('import-rejected');
        const shownRow = (row: (typeof source)[number]) => tableRows(rejected).filter({ has: page.getByText(String(row.line), { exact: true }) }).getByText(row.value, { exact: true });
        const firstRefused = source.filter((r) => r.line <= held.job.checkpoint && r.value.endsWith('kWh')).slice(0, 3);
        for (const row of firstRefused) await shownRow(row).waitFor();
        // Its file comes once the dry run has stopped (while it runs it would hold only some of them).
        expect(await page.getByTestId('import-download-rejected').isDisabled()).toBe(true);
        const cancel = page.getByRole('button', { name: w.cancel });
        await cancel.waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'import-wizard-dry-run-cancel-running', language);

        // Tab from the step's heading (where the wizard put the focus) reaches Cancel first.
        await page.getByTestId('import-step-of').focus();
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('import-dry-run-cancel');
        await page.keyboard.press('Enter');
        await page.getByTestId('import-dry-run-cancelled').waitFor();

        // The API says it was cancelled with what it had checked when it was held — and so does the file.
        const job = (await suite.fx.server.get(`/api/import/jobs/${id}`)).body;
        expect(job).toMatchObject({ status: 'cancelled', mode: 'dryRun', checkpoint: held.job.checkpoint, counts: held.job.counts });
        const checked = source.filter((r) => r.line <= job.checkpoint);
        const refused = checked.filter((r) => r.value.endsWith('kWh'));
        expect(job.counts).toMatchObject({ rows: checked.length, created: checked.length - refused.length, rejected: refused.length });
        expect(await stored()).toBe(before);

        // The screen says the same.
        expect(await page.getByTestId('import-dry-run-cancelled').innerText()).toBe(`${w.stoppedAt(number(job.checkpoint), number(job.counts.rows))}\n${w.next}\n${w.back}`);
        for (const key of ['created', 'updated', 'unchanged', 'rejected'] as const) expect(await shownCount(page, key)).toBe(job.counts[key]);
        // The button the user pressed is gone: the focus is on what it did.
        expect(await page.getByRole('button', { name: w.cancel }).count()).toBe(0);
        expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="import-dry-run-cancelled"]') !== null)).toBe(true);
        // Only a finished dry run leads to the import.
        expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);

        // The rows it rejected are listed (the first page) and downloadable as they were read.
        for (const row of refused.slice(0, 3)) await shownRow(row).waitFor();
        const download = page.waitForEvent('download');
        await page.getByTestId('import-download-rejected').click();
        const file = await (await download).path();
        const downloaded = parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
        expect(downloaded.map(({ _reason, ...row }) => row)).toEqual(refused.map((r) => ({ code: r.code, value: r.value, kwh: r.kwh, _line: String(r.line) })));
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'import-wizard-dry-run-cancelled', language);
      } finally {
        hold.release();
      }

      // Back to the mapping from the notice, and fixed: the readings come from the `kwh` column (the `value` column is no longer imported).
      await page.getByTestId('import-dry-run-cancelled').getByRole('button', { name: w.back }).click();
      await page.getByTestId('import-columns').waitFor();
      await pickOption(page, w.fieldFor, w.field);
      await startDryRun(page);
      await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
      const again = (await suite.fx.server.get('/api/import/jobs?limit=1')).body.items[0];
      expect(again.id).not.toBe(id);
      expect(again).toMatchObject({ mode: 'dryRun', status: 'done', counts: { rows, created: rows, rejected: 0 } });
      await page.getByText(w.done(number(rows)), { exact: true }).waitFor();
      expect(await shownCount(page, 'created')).toBe(again.counts.created);
      expect(await stored()).toBe(before);
    });
  }

  it('en at 1280 px: an import cancelled before its first batch says nothing was imported, and offers no undo', async () => {
    const w = words.en;
    const before = await stored();
    const hold = holdImportBatches(suite.fx.server, (job) => job.mode !== 'dryRun' && job.counts.rows === 0);
    try {
      const page = await suite.openWizard({ language: 'en', width: 1280, entity: w.entity, file: 'readings.csv' });
      await startDryRun(page);
      const commit = page.getByTestId('import-commit').and(page.locator(':not([disabled])'));
      await commit.waitFor();
      await commit.click();
      const held = await hold.reached;
      const cancel = page.getByRole('button', { name: w.cancelImport });
      await cancel.waitFor();
      await cancel.focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="import-result"][data-status="cancelled"]').waitFor();

      const job = (await suite.fx.server.get(`/api/import/jobs/${held.id}`)).body;
      expect(job).toMatchObject({ status: 'cancelled', checkpoint: 0, counts: { rows: 0, created: 0, updated: 0 } });
      expect(await stored()).toBe(before);
      await page.getByText(w.nothingImported, { exact: true }).waitFor();
      expect(await page.getByTestId('import-cancelled-at').textContent()).toBe(w.beforeAny);
      expect(await page.getByRole('button', { name: w.undo }).count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="import-result"]') !== null)).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-wizard-cancelled-before-any', 'en');
    } finally {
      hold.release();
    }
  });

  it('en at 1280 px: the recent imports name a running dry run\u2019s Cancel as the dry run\u2019s, and say what cancelling it did', async () => {
    const hold = holdImportBatches(suite.fx.server, (job) => job.mode === 'dryRun' && job.counts.rows > 0);
    try {
      const up = await upload(suite.fx.server, suite.files['readings.csv']!, 'readings.csv');
      const started = await suite.fx.server.post('/api/import/jobs', { upload: up, mapping: { name: 'readings', targets: [{ entity: 'meterReading', columns: { code: 'code', value: 'value' } }] }, mode: 'dryRun' });
      expect(started.status).toBe(202);
      const held = await hold.reached;
      const page = await suite.page({ language: 'en', width: 1280 });
      await page.goto('/import');
      await page.getByRole('tab', { name: 'Recent imports' }).click();
      const cancel = page.getByRole('button', { name: words.en.cancel });
      await cancel.waitFor();
      expect(await cancel.getAttribute('title')).toBe('Stop after the batch being checked. A dry run writes nothing; the rows rejected so far stay listed.');
      expect(await seriousViolations(page)).toEqual([]);
      await cancel.focus();
      await page.keyboard.press('Enter');
      // The notice (it fades after a few seconds), then the job as the API has it.
      await page.getByText(`The dry run of readings.csv stopped after ${new Intl.NumberFormat('en-GB').format(held.job.counts.rows)} rows: nothing was written.`, { exact: true }).waitFor();
      expect((await suite.fx.server.get(`/api/import/jobs/${held.id}`)).body).toMatchObject({ status: 'cancelled', mode: 'dryRun', counts: held.job.counts });
    } finally {
      hold.release();
    }
  });
});
