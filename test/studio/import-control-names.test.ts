// The import wizard's mapping as a screen reader lists its buttons, in chromium against a real
// server, in English at 1280 px and in Chinese at 390 px: no two say the same. Each column's field
// select and each value map's select had a clear button named only "Clear" ("清除"), a row of them
// that did not say which column or value they cleared; they now carry their select's name.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../support/browser.ts';
import { chooseImportFile, closeBrowserSuite, signedInPage, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const csv = ['Name,Region,Client type,E-mail', 'Named A Ltd,east,Business,named-a@example.com', 'Named B Ltd,Atlantis,Business,named-b@example.com'].join('\r\n') + '\r\n';

describe('studio: the import mapping’s buttons, as a screen reader lists them', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let dir: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fx = await startStudioFixture();
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-names-'));
    await writeFile(path.join(dir, 'clients.csv'), csv);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [fx?.server], dir }));

  it.each([
    { language: 'en', width: 1280, entity: 'Client', clearName: 'Clear: Field for column Name' },
    { language: 'zh', width: 390, entity: '客户', clearName: '清除：Name 列对应的字段' },
  ] as const)('no two buttons share a name ($language, $width px)', async ({ language, width, entity, clearName }) => {
    const page = await signedInPage({ browser, server: fx.server, contexts, options: { language, width } });
    await page.goto('/import');
    await chooseImportFile(page, entity, path.join(dir, 'clients.csv'));
    const wizard = page.getByTestId('import-wizard');
    const snapshot = await wizard.ariaSnapshot();
    // (A name with a colon is quoted as a whole in the snapshot's YAML.)
    const buttons = [...snapshot.matchAll(/- '?button "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    expect(buttons, snapshot).toContain(clearName);
    const repeated = buttons.filter((name, i) => buttons.indexOf(name) !== i);
    expect(repeated).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
