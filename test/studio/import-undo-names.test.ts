// An import's undo names the records it left alone or could not undo as people know them: by their
// titles (linked to them, the id only in the tooltip) and their entity's label in the reader's
// language — never by raw ids, JSON pointers or entity code names. A firm edited since the import is
// listed by the dry run; a firm a deal now refers to (restrict) is refused, with why, naming the deal
// entity by its label. In chromium against a real server; en at 1280 px and zh at 390 px, axe-clean.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { deal, firm, mapping } from '../support/firm-deal-metadata.ts';

const csv = (prefix: string) => `code,name\n${prefix}1,Firm ${prefix} one\n${prefix}2,Firm ${prefix} two\n${prefix}3,Firm ${prefix} three\n`;

const words = {
  en: { tab: 'Recent imports', undo: 'Undo import', undone: 'Undone', changed: (title: string) => `${title} (Firm)`, refused: (title: string) => `${title} (Firm): 1 Deal record(s) still refer to this record` },
  zh: { tab: '最近的导入', undo: '撤销导入', undone: '已撤销', changed: (title: string) => `${title}（公司）`, refused: (title: string) => `${title}（公司）：仍有 1 条交易记录引用此记录` },
} as const;

describe('studio: an import undo names records by title and entity label', { timeout: 300_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'undo-names', metadata: [firm, deal] });
  }, 300_000);
  afterAll(() => suite?.close());

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`${language} at ${width} px: the record changed since and the record refused, by title and label`, async () => {
      const w = words[language];
      const server = suite.fx.server;
      const prefix = language === 'en' ? 'E' : 'Z';
      const name = `firms-names-${language}.csv`;
      const uploaded = await server.request<any>('POST', `/api/import/uploads?name=${name}`, csv(prefix), { 'content-type': 'text/csv' });
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
      const started = await server.post<any>('/api/import/jobs', { upload: uploaded.body.upload, mapping, mode: 'validOnly' });
      expect(started.status).toBe(202);
      const id: string = started.body.id;
      await importServices.get(server.server.services)!.idle();
      const byCode = async (code: string) => (await server.get<any>(`/api/data/firm?filter=${encodeURIComponent(JSON.stringify({ code }))}`)).body.items[0];
      const referred = await byCode(`${prefix}1`);
      const edited = await byCode(`${prefix}2`);
      expect((await server.post('/api/data/deal', { title: `Deal ${prefix}`, firm: referred.id })).status).toBe(201);
      expect((await server.patch(`/api/data/firm/${edited.id}`, { name: `Firm ${prefix} two, edited` })).status).toBe(200);

      const page = await suite.page({ language, width });
      await page.goto('/import');
      await page.getByRole('tab', { name: w.tab }).click();
      const row = tableRows(page.getByTestId('import-jobs')).filter({ hasText: name });
      await row.getByRole('button', { name: w.undo }).click();
      const report = page.getByTestId('import-undo-report');
      await report.waitFor();
      // The firm edited since: its title, a link to it, and its entity's label — not its id.
      const changed = report.getByRole('listitem');
      await changed.getByRole('link', { name: `Firm ${prefix} two, edited`, exact: true }).waitFor();
      expect(await changed.getByRole('link').getAttribute('href')).toBe(`/e/firm/${edited.id}`);
      expect(await changed.textContent()).toBe(w.changed(`Firm ${prefix} two, edited`));
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-undo-changed-since', language);

      await page.getByTestId('import-undo-confirm').click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await row.getByText(w.undone, { exact: true }).waitFor();
      // The firm a deal refers to: refused, with why — the deal entity by its label, no pointer, no id.
      const refused = page.getByTestId(`import-undo-refused-${id}`).getByRole('listitem');
      await refused.getByRole('link', { name: `Firm ${prefix} one`, exact: true }).waitFor();
      expect(await refused.getByRole('link').getAttribute('href')).toBe(`/e/firm/${referred.id}`);
      expect(await refused.textContent()).toBe(w.refused(`Firm ${prefix} one`));
      // On a phone the undone job's card ends under its last line: no blank row where its actions (none left) would be.
      if (width < 600) {
        const card = page.locator(`li[data-row-key="${id}"]`);
        expect(await card.evaluate((li) => li.getBoundingClientRect().bottom - li.querySelector('dl')!.getBoundingClientRect().bottom)).toBeLessThan(16);
      }
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-undo-refused-named', language);
    });
  }
});
