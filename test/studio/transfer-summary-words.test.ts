// The configuration export's summary and a chosen bundle's, in the UI's words: what the file holds
// counted per kind ("12 entities, 30 forms"; "12 个实体、30 个表单"). A Chinese page listed the kinds
// by their code names ("12 entity, 30 form"), an English one without plurals. The counts are the
// downloaded bundle's own, counted here. zh at 390 px, en at 1280 px; axe-clean.

import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

describe('studio: the configuration bundle summarized in the UI language', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fx = await startStudioFixture();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [fx?.server] }));

  for (const { language, width, entity, form } of [
    { language: 'zh', width: 390, entity: (n: number) => `${n} 个实体`, form: (n: number) => `${n} 个表单` },
    { language: 'en', width: 1280, entity: (n: number) => `${n} entities`, form: (n: number) => `${n} forms` },
  ] as const) {
    it(`${language} at ${width} px: the export's and the chosen file's kinds in words, counted from the file`, async () => {
      const page = await signedInPage({ browser, server: fx.server, contexts, options: { language, width } });
      await page.goto('/admin/transfer');
      const downloaded = page.waitForEvent('download');
      await page.getByTestId('export-bundle').click();
      const download = await downloaded;
      const text = await readFile((await download.path())!, 'utf8');
      const layers = (JSON.parse(text) as { layers: { kind: string; name: string }[] }).layers;
      const count = (kind: string) => new Set(layers.filter((l) => l.kind === kind).map((l) => l.name)).size;
      expect(count('entity')).toBeGreaterThan(1);
      expect(count('form')).toBeGreaterThan(1);

      const exported = await page.getByTestId('export-summary').innerText();
      expect(exported).toContain(entity(count('entity')));
      expect(exported).toContain(form(count('form')));
      if (language === 'zh') expect(exported).not.toMatch(/\d+ (entity|form|view|workflow|role|dashboard)\b/);

      await page.getByTestId('bundle-file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
      const chosen = await page.getByTestId('bundle-summary').innerText();
      expect(chosen).toContain(entity(count('entity')));
      expect(chosen).toContain(form(count('form')));
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
