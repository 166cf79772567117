// What the import wizard's browser suites share: the studio fixture with the suite's own metadata
// applied, a work folder holding the files it imports, a browser, and pages signed in as the
// administrator — on the wizard, the entity chosen and a file uploaded. And the two ways such a
// suite meets a job still running: one held between its batches in this process (the import
// service's seam), or one the real `crm import` left running when it was killed.

import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { importServices } from '../../engine/import/import-module.ts';
import type { ImportJob } from '../../engine/import/import-store.ts';
import { launchBrowser, type ContextOptions } from './browser.ts';
import { chooseImportFile, closeBrowserSuite, signedInPage, startStudioFixture, type StudioFixture } from './studio-fixture.ts';
import type { TestServer } from './test-server.ts';

/** A file's text, or what writes it at the path given (a workbook). */
export type SuiteFile = string | ((file: string) => Promise<void>);

export interface ImportSuite {
  fx: StudioFixture;
  browser: Browser;
  /** The work folder: the files below, and any a test writes itself. Removed by close(). */
  dir: string;
  /** Each file the suite wrote, by name: its path. */
  files: Record<string, string>;
  /** The contexts the suite's pages opened (close() closes them). */
  contexts: BrowserContext[];
  /** A page signed in as the administrator, in a fresh context. */
  page(options?: ContextOptions): Promise<Page>;
  /**
   * A signed-in page on the wizard's first step with `entity` (its label as the UI shows it) chosen
   * and `file` (a suite file's name, or a path) uploaded; then on the mapping step unless `next` is false.
   */
  openWizard(args: ContextOptions & { entity: string; file: string; next?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the studio fixture, applies `metadata` (one revision), writes `files` into a fresh work
 * folder (`files` may read the fixture: a file naming its administrator) and launches the browser.
 */
export async function startImportSuite(args: { name: string; metadata?: unknown[]; files?: Record<string, SuiteFile> | ((fx: StudioFixture) => Record<string, SuiteFile>) }): Promise<ImportSuite> {
  const fx = await startStudioFixture();
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  let dir: string | undefined;
  try {
    if (args.metadata) {
      const applied = await fx.server.post('/api/meta/apply', args.metadata);
      if (applied.status !== 200) throw new Error(`applying the suite's metadata: ${applied.status} ${JSON.stringify(applied.body)}`);
    }
    dir = await mkdtemp(path.join(os.tmpdir(), `crm-import-${args.name}-`));
    const files: Record<string, string> = {};
    const given = typeof args.files === 'function' ? args.files(fx) : (args.files ?? {});
    for (const [name, content] of Object.entries(given)) {
      const file = path.join(dir, name);
      if (typeof content === 'string') await writeFile(file, content);
      else await content(file);
      files[name] = file;
    }
    browser = await launchBrowser();
    const opened = browser;
    const page = (options: ContextOptions = {}) => signedInPage({ browser: opened, server: fx.server, contexts, options });
    return {
      fx, browser, dir, files, contexts, page,
      async openWizard({ entity, file, next, ...options }) {
        const wizard = await page(options);
        await wizard.goto('/import');
        await chooseImportFile(wizard, entity, files[file] ?? file, next === false ? { next } : {});
        return wizard;
      },
      close: () => closeBrowserSuite({ contexts, browser: opened, servers: [fx.server], dir: dir! }),
    };
  } catch (error) {
    await closeBrowserSuite({ contexts, browser, servers: [fx.server], ...(dir ? { dir } : {}) });
    throw error;
  }
}

/** A job held before one of its batches: `reached` once it waits there, `release()` lets it (and every later one) go on. */
export interface HeldImport {
  reached: Promise<{ id: string; job: ImportJob }>;
  release(): void;
}

/**
 * Holds the first job `when` picks (given its progress so far) before its next batch, from the
 * jobs the server starts from now on: a job still running, for as long as the test wants, without
 * racing it. A cancel the server receives meanwhile lets it go at once (and stops it there).
 */
export function holdImportBatches(server: TestServer, when: (job: ImportJob) => boolean): HeldImport {
  const service = importServices.get(server.server.services)!;
  let reach!: (at: { id: string; job: ImportJob }) => void;
  const reached = new Promise<{ id: string; job: ImportJob }>((resolve) => (reach = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  service.holdBatches(async (at) => {
    if (!when(at.job)) return;
    reach(at);
    await released;
  });
  return {
    reached,
    release: () => {
      service.holdBatches(undefined);
      release();
    },
  };
}

/**
 * The real `crm import` of `file` with the mapping in `mapping` (a file), valid rows only, on the
 * server's data folder, killed with SIGKILL once `batches` batches committed (its own progress
 * lines say so: no sleeping). Answers the job it left behind, as the API reads it.
 */
export async function killedImport(args: { server: TestServer; file: string; mapping: string; batches: number }): Promise<{ id: string; job: ImportJob }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'import', args.file, '--mapping', args.mapping, '--mode', 'validOnly', '--no-progress'], {
    env: { ...process.env, DATA_DIR: args.server.dataDir, MONGODB_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if ((out.match(/^progress /gm) ?? []).length >= args.batches) {
        child.kill('SIGKILL');
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then(() => reject(new Error(`exited before ${args.batches} batches:\n${out}`)));
  });
  const signal = await exit;
  if (signal !== 'SIGKILL') throw new Error(`crm import ended by ${String(signal)}, not the kill:\n${out}`);
  const id = /^job (\S+)$/m.exec(out)?.[1];
  if (!id) throw new Error(`crm import named no job:\n${out}`);
  const job = await args.server.get<ImportJob>(`/api/import/jobs/${id}`);
  if (job.status !== 200) throw new Error(`the killed job ${id}: ${job.status} ${JSON.stringify(job.body)}`);
  return { id, job: job.body };
}
