// A job of several targets counts each one (engine/import/run-import.ts): clients and their
// contacts from one file were reported as one sum ("8 created" for 3 clients and 5 contacts). Per
// target, in the mapping's order — a target's `when` that says no counted as skipped for it, a
// rejected row counted for none — alike in a dry run, in an all-or-nothing job (its check phase
// counted, then its write phase from zero), and in a re-run where everything is unchanged.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

const rows = [
  ['Delta Parts', 'east', 'Ann', 'ann@delta.example'],
  ['Delta Parts', 'east', 'Bo', 'bo@delta.example'],
  ['Echo Farms', 'south', 'Cy', ''],
  ['Echo Farms', 'south', 'Di', 'di@echo.example'],
  ['Fox Mills', 'central', 'Ed', 'not an e-mail'],
];
const csv = ['Client,Region,Contact,E-mail', ...rows.map((r) => r.join(','))].join('\n') + '\n';
const mapping = {
  name: 'clients-contacts-counts',
  targets: [
    { entity: 'account', key: ['name'], columns: { name: 'Client', region: 'Region' } },
    // Only rows that give an e-mail make a contact (found again by it).
    { entity: 'contact', key: ['email'], columns: { account: 'Client', name: 'Contact', email: 'E-mail' }, lookups: { account: { by: 'name' } }, when: '$exists(`E-mail`) and `E-mail` != ""' },
  ],
};

describe('import: counts per target', { timeout: 120_000 }, () => {
  let server: TestServer;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/templates/services/install', { sampleData: false, modules: ['clients'] })).status).toBe(201);
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-target-counts-'));
    file = path.join(dir, 'clients.csv');
    await writeFile(file, csv);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // From the file: a row with an e-mail that is none is refused whole; a row without one makes no contact.
  const refused = rows.filter((r) => r[3] !== '' && !r[3]!.includes('@'));
  const kept = rows.filter((r) => !refused.includes(r));
  const clients = new Set(kept.map((r) => r[0]));
  const withEmail = kept.filter((r) => r[3] !== '');
  const first = [
    { entity: 'account', created: clients.size, updated: 0, unchanged: kept.length - clients.size, skipped: 0 },
    { entity: 'contact', created: withEmail.length, updated: 0, unchanged: 0, skipped: kept.length - withEmail.length },
  ];

  it('a dry run and a valid-rows import count each target', async () => {
    const id = await upload(server, file, 'clients.csv');
    const dry = await runJob(server, { upload: id, mapping, mode: 'dryRun' });
    expect(dry.counts).toMatchObject({ rows: rows.length, rejected: refused.length, created: first[0]!.created + first[1]!.created });
    expect(dry.targets).toEqual(first);
    const done = await runJob(server, { upload: id, mapping, mode: 'validOnly' });
    expect(done.targets).toEqual(first);
    expect((await server.get('/api/data/contact?limit=100')).body.items.length).toBe(withEmail.length);
  });

  it('an all-or-nothing job of the valid rows counts its write phase from zero; a re-run leaves every record unchanged', async () => {
    const validFile = path.join(dir, 'valid.csv');
    await writeFile(validFile, ['Client,Region,Contact,E-mail', ...kept.map((r) => r.join(','))].join('\n') + '\n');
    const id = await upload(server, validFile, 'valid.csv');
    const again = await runJob(server, { upload: id, mapping, mode: 'allOrNothing' });
    expect(again.status).toBe('done');
    expect(again.targets).toEqual([
      { entity: 'account', created: 0, updated: 0, unchanged: kept.length, skipped: 0 },
      { entity: 'contact', created: 0, updated: 0, unchanged: withEmail.length, skipped: kept.length - withEmail.length },
    ]);
  });
});
