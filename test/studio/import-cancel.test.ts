// Cancelling an import from the recent imports: a job whose process died mid-way (the real `crm
// import`, killed with SIGKILL once a batch committed) shows as running; its owner cancels it by
// keyboard instead of resuming it. It then reads "Cancelled", stopped after its last committed line,
// the records of that batch stay — exactly those — and its Undo takes them back. en at 1280 px and
// zh at 390 px, axe-clean.

import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const entity = { kind: 'entity', name: 'meterReading', label: { en: 'Meter reading', zh: '抄表读数' }, titleField: 'code', fields: { code: { type: 'text', required: true }, value: { type: 'integer' } } };
const rows = 5000;
const mapping = { name: 'meter-readings', targets: [{ entity: 'meterReading', columns: { code: 'code', value: 'value' } }] };

describe('studio: cancel an import', { timeout: 600_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let dir: string;
  let jobId: string;
  let committed: number;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fx = await startStudioFixture();
    const applied = await fx.server.post('/api/meta/apply', [entity]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-cancel-'));
    await writeFile(path.join(dir, 'readings.csv'), ['code,value', ...Array.from({ length: rows }, (_, i) => `M${i + 1},${i + 1}`)].join('\n') + '\n');
    await writeFile(path.join(dir, 'readings.json'), JSON.stringify(mapping));
    // The real `crm import` on the server's data folder, killed once a batch committed.
    const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'import', path.join(dir, 'readings.csv'), '--mapping', path.join(dir, 'readings.json'), '--mode', 'validOnly', '--no-progress'], {
      env: { ...process.env, DATA_DIR: fx.server.dataDir, MONGODB_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (/^progress /m.test(out)) {
          child.kill('SIGKILL');
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exit.then(() => reject(new Error(`exited before a batch:\n${out}`)));
    });
    expect(await exit).toBe('SIGKILL');
    jobId = /^job (\S+)$/m.exec(out)![1]!;
    const killed = (await fx.server.get(`/api/import/jobs/${jobId}`)).body;
    expect(killed.status).toBe('running');
    committed = killed.counts.created;
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(rows);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [fx?.server], dir }));

  const recentImports = async (language: 'en' | 'zh', width: number): Promise<Page> => {
    const page = await signedInPage({ browser, server: fx.server, contexts, options: { language, width } });
    await page.goto('/import');
    await page.getByRole('tab', { name: language === 'en' ? 'Recent imports' : '最近的导入' }).click();
    return page;
  };
  const stored = async () => (await fx.server.get('/api/data/meterReading?total=1&limit=1')).body.total;

  it('cancels a job left running, by keyboard; what committed stays, and undo takes it back', async () => {
    const page = await recentImports('en', 1280);
    const cancel = page.getByRole('button', { name: 'Cancel the import of readings.csv' });
    await cancel.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await cancel.focus();
    await page.keyboard.press('Enter');
    const row = tableRows(page.getByTestId('import-jobs')).filter({ hasText: 'readings.csv' });
    await row.getByText('Cancelled', { exact: true }).waitFor();
    const job = (await fx.server.get(`/api/import/jobs/${jobId}`)).body;
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
    const undone = await fx.server.post(`/api/import/jobs/${jobId}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.deleted).toBe(committed);
    await eventually(stored).toBe(0);
  });
});
