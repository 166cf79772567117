// Undoing an import from the recent imports, in chromium against a real server: the undo runs on the
// server as a job, so the list shows it under way — "Undoing", how many of its records are dealt
// with — while the page stays usable, and then what it did: deleted, and the record it could not
// undo (one a deal now refers to, under a restrict rule) with why, in the reader's language. The
// undo is held between two of its pages by the import service's test seam (no sleeping): the
// screen is read while the undo is known to be half done. en at 1280 px and zh at 390 px, axe-clean.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { undoPageSize } from '../../engine/import/undo-import.ts';
import { eventually, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { deal, firm, mapping } from '../support/firm-deal-metadata.ts';

/** Two pages of the undo and part of a third. */
const count = 2 * undoPageSize + 50;
const csv = (prefix: string) => ['code,name', ...Array.from({ length: count }, (_, i) => `${prefix}${i + 1},Firm ${prefix}${i + 1}`)].join('\n') + '\n';

const words = {
  en: { tab: 'Recent imports', undo: 'Undo import', undoing: 'Undoing', undone: 'Undone', progress: (done: number, total: number) => `${done} of ${total} records undone`, refused: '1 record could not be undone:', reason: /^Firm E1 \(Firm\): 1 Deal record\(s\) still refer to this record$/ },
  zh: { tab: '最近的导入', undo: '撤销导入', undoing: '撤销中', undone: '已撤销', progress: (done: number, total: number) => `已处理 ${done} / ${total} 条记录`, refused: '有 1 条记录无法撤销：', reason: /^Firm Z1（公司）：仍有 1 条交易记录引用此记录$/ },
} as const;

describe('studio: an import undone as a job, its progress in the recent imports', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'undo-progress', metadata: [firm, deal], files: { 'firms-en.csv': csv('E'), 'firms-zh.csv': csv('Z') } });
  }, 300_000);
  afterAll(() => suite?.close());

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`${language} at ${width} px: undoing, with how far it got; then what it did, the refused record with why`, async () => {
      const w = words[language];
      const server = suite.fx.server;
      const service = importServices.get(server.server.services)!;
      const name = `firms-${language}.csv`;
      const uploaded = await server.request<any>('POST', `/api/import/uploads?name=${name}`, csv(language === 'en' ? 'E' : 'Z'), { 'content-type': 'text/csv' });
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
      const started = await server.post<any>('/api/import/jobs', { upload: uploaded.body.upload, mapping, mode: 'validOnly' });
      expect(started.status).toBe(202);
      const id: string = started.body.id;
      await service.idle();
      // The oldest firm it made (undone last) is now a deal's: the store refuses to delete it.
      const first = (await server.get<any>(`/api/data/firm?filter=${encodeURIComponent(JSON.stringify({ code: `${language === 'en' ? 'E' : 'Z'}1` }))}`)).body.items[0];
      expect((await server.post('/api/data/deal', { title: 'Kept', firm: first.id })).status).toBe(201);

      // The undo waits before its second page: its first committed, and the job says so.
      let arrived!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let pages = 0;
      service.holdUndoPages(async (undoing) => {
        if (undoing !== id || ++pages !== 2) return;
        arrived();
        await released;
      });
      try {
        const page = await suite.page({ language, width });
        await page.goto('/import');
        await page.getByRole('tab', { name: w.tab }).click();
        const row = tableRows(page.getByTestId('import-jobs')).filter({ hasText: name });
        await row.getByRole('button', { name: w.undo }).click();
        await page.getByTestId('import-undo-report').waitFor();
        await page.getByTestId('import-undo-confirm').click();
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        await reached;

        // Under way: its status and progress (the list asks for them through the API while it runs).
        await row.getByText(w.undoing, { exact: true }).waitFor();
        const progress = page.getByTestId(`import-undo-progress-${id}`);
        await eventually(() => progress.getAttribute('data-done')).toBe(String(undoPageSize));
        expect(await progress.getAttribute('data-total')).toBe(String(count));
        expect(await progress.textContent()).toContain(w.progress(undoPageSize, count));
        expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(String(Math.floor((undoPageSize / count) * 100)));
        // No second undo is offered meanwhile; the focus is on the job's status, not lost on the page's body.
        expect(await row.getByRole('button', { name: w.undo }).count()).toBe(0);
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`import-job-status-${id}`);
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'import-undo-progress', language);

        release();
        await row.getByText(w.undone, { exact: true }).waitFor();
        const outcome = page.getByTestId(`import-undo-outcome-${id}`);
        await outcome.waitFor();
        expect(await outcome.getAttribute('data-refused')).toBe('1');
        const refused = page.getByTestId(`import-undo-refused-${id}`);
        expect(await refused.textContent()).toContain(w.refused);
        // Named by its title, linked to it (its id only in the tooltip).
        expect(await refused.getByRole('link').getAttribute('href')).toBe(`/e/firm/${first.id}`);
        expect(await refused.getByRole('listitem').textContent()).toMatch(w.reason);
        const job = (await server.get<any>(`/api/import/jobs/${id}`)).body;
        expect(job).toMatchObject({ status: 'undone', undo: { total: count, done: count, deleted: count - 1, refused: 1 } });
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'import-undone-refused', language);
      } finally {
        service.holdUndoPages(undefined);
        release();
      }
    });
  }
});
