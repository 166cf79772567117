// `crm template list|install|module|upgrade|uninstall` on a data folder, through the same service
// as the API; a server opened on that folder afterwards serves what the CLI installed.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';
import { allRecords, deskV1, deskV2, fixturesDir } from './template-helpers.ts';

const run = promisify(execFile);

describe('crm template', () => {
  let dataDir: string;
  const crm = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'template', ...args], {
        env: { ...process.env, DATA_DIR: dataDir, CRM_TEMPLATE_DIRS: fixturesDir, MONGODB_URI: '' },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout + failed.stderr };
    }
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-template-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  // Each command starts Node and tsx (a few seconds each): a longer timeout than the default.
  it('lists, installs with sample data, switches a module, dry-runs and applies the upgrade, uninstalls', { timeout: 240_000 }, async () => {
    const list = await crm('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('desk  not installed');
    expect(list.stdout).toContain('available: 2.0.0, 1.0.0');

    const install = await crm('install', 'desk', '--dir', deskV1, '--sample-data');
    expect(install.code, install.stdout).toBe(0);
    expect(install.stdout).toContain('install desk 1.0.0 (revision 1)');
    expect(install.stdout).toContain('sample customer: 20 loaded');
    expect((await crm('module', 'desk', 'tickets', 'on')).code).toBe(0);

    const dry = await crm('upgrade', 'desk', '--dir', deskV2, '--dry-run');
    expect(dry.code, dry.stdout).toBe(0);
    expect(dry.stdout).toContain('dry run: upgrade desk 1.0.0 → 2.0.0');
    expect(dry.stdout).toContain('customer: 3 of 20 record(s) would fail the new rules');
    const upgrade = await crm('upgrade', 'desk');
    expect(upgrade.code, upgrade.stdout).toBe(0);
    expect(upgrade.stdout).toContain('upgrade desk 1.0.0 → 2.0.0 (revision 3)');
    expect((await crm('upgrade', 'desk')).code).toBe(1);

    const server = await startTestServer({ dataDir });
    try {
      expect((await server.get('/api/meta/entities/customer')).body.fields.website).toBeDefined();
      expect(await allRecords(server, 'customer')).toHaveLength(20);
      expect((await server.get('/api/templates/desk')).body.modulesOn).toEqual(['customers', 'tickets']);
    } finally {
      await server.close();
    }

    const uninstall = await crm('uninstall', 'desk');
    expect(uninstall.code, uninstall.stdout).toBe(0);
    expect(uninstall.stdout).toContain('delete entity customer');
    expect((await crm('list')).stdout).toContain('desk  not installed');
    const missing = await crm('uninstall', 'desk');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('NOT_FOUND');
  });
});
