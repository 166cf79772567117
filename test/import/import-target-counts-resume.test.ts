// A job of several targets killed mid-way (the real `crm import`, SIGKILL once a batch committed)
// and resumed over the API ends with the per-target counts of the whole file: each batch saves
// them with its checkpoint, so the resumed run adds to what the killed one committed — neither
// starting them from zero nor counting a batch twice. Counts computed from the file.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { killedImport } from '../support/import-suite.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const rows = 1800;
// Every 4th row a client's second contact (the client unchanged), every 3rd without an e-mail (no contact made).
const lines = Array.from({ length: rows }, (_, i) => {
  const n = i + 1;
  const client = n % 4 === 0 ? n - 1 : n;
  return [`Client ${client}`, 'east', `Person ${n}`, n % 3 === 0 ? '' : `p${n}@clients.example`];
});
const csv = ['Client,Region,Contact,E-mail', ...lines.map((l) => l.join(','))].join('\n') + '\n';
const mapping = {
  name: 'clients-contacts-resume',
  targets: [
    { entity: 'account', key: ['name'], columns: { name: 'Client', region: 'Region' } },
    { entity: 'contact', key: ['email'], columns: { account: 'Client', name: 'Contact', email: 'E-mail' }, lookups: { account: { by: 'name' } }, when: '$exists(`E-mail`) and `E-mail` != ""' },
  ],
};

describe('import: per-target counts over a kill and a resume', { timeout: 300_000 }, () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/templates/services/install', { sampleData: false, modules: ['clients'] })).status).toBe(201);
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-target-resume-'));
    await writeFile(path.join(dir, 'clients.csv'), csv);
    await writeFile(path.join(dir, 'mapping.json'), JSON.stringify(mapping));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends with the counts of the whole file, the killed run\'s batches counted once', async () => {
    const { id, job: killed } = await killedImport({ server, file: path.join(dir, 'clients.csv'), mapping: path.join(dir, 'mapping.json'), batches: 1 });
    expect(killed.status).toBe('running');
    expect(killed.checkpoint).toBeGreaterThan(1);
    expect(killed.checkpoint).toBeLessThan(rows + 1);
    // What the committed batches counted, per target, adds up to the rows they read.
    const [account, contact] = killed.targets!;
    expect(account!.created + account!.unchanged).toBe(killed.counts.rows);
    expect(contact!.created + contact!.skipped).toBe(killed.counts.rows);

    const resumed = await server.post(`/api/import/jobs/${id}/resume`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(202);
    await importServices.get(server.server.services)!.idle();
    const done = (await server.get<any>(`/api/import/jobs/${id}`)).body;
    expect(done.status).toBe('done');
    const clients = new Set(lines.map((l) => l[0])).size;
    const withEmail = lines.filter((l) => l[3] !== '').length;
    expect(done.counts).toMatchObject({ rows, rejected: 0 });
    expect(done.targets).toEqual([
      { entity: 'account', created: clients, updated: 0, unchanged: rows - clients, skipped: 0 },
      { entity: 'contact', created: withEmail, updated: 0, unchanged: 0, skipped: rows - withEmail },
    ]);
    expect((await server.get<any>('/api/data/contact?total=1&limit=1')).body.total).toBe(withEmail);
  });
});
