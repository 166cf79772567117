// Backup while a load generator writes, restore into an empty folder: `crm backup` (another process,
// SQLite's online backup API) and POST /api/backups both run while four clients keep creating deals
// over HTTP; `crm restore` fills an empty data folder (and refuses a non-empty one); a server on the
// restored folder answers every metadata item, user and record identically to the live one — every
// deal acknowledged before the backup started is there, and nothing the live server never had.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allKinds } from '../../engine/kinds/registry.ts';
import { runCrm } from '../support/crm-cli.ts';
import { startTestServer, type ApiClient, type TestServer } from '../support/test-server.ts';

const crm = (dataDir: string, ...args: string[]) => runCrm({ dataDir }, ...args);

const documents = [
  { kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', required: true, unique: true }, phone: { type: 'phone' } }, cleansing: { phone: { phone: 'GB' } } },
  { kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '商机' }, titleField: 'name', fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' }, amount: { type: 'currency', min: 0 } } },
  { kind: 'view', name: 'bigDeals', entity: 'deal', label: 'Big deals', type: 'list', columns: { name: { order: 10 }, amount: { order: 20 } }, filter: { amount: { $gt: 500 } }, sort: '-amount' },
];

async function allRecords(client: ApiClient, entity: string): Promise<any[]> {
  const out: any[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await client.get<any>(`/api/data/${entity}?limit=1000&sort=id${after ? `&filter=${encodeURIComponent(JSON.stringify({ id: { $gt: after } }))}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    out.push(...page.body.items);
    if (page.body.items.length < 1000) return out;
    after = page.body.items[page.body.items.length - 1].id;
  }
}

/** Four clients creating deals until stopped; each acknowledged id is kept with the count of acks before it. */
function loadGenerator(server: TestServer, accounts: string[]) {
  const acked: string[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let stopped = false;
  let failures = 0;
  const worker = async (w: number) => {
    for (let i = 0; !stopped; i++) {
      const res = await server.post<any>('/api/data/deal', { name: `Deal ${w}-${i}`, account: accounts[(w * 7 + i) % accounts.length], amount: (i * 37) % 1000 });
      if (res.status !== 201) failures++;
      else acked.push(res.body.id);
      for (const waiter of waiters.splice(0)) if (acked.length >= waiter.n) waiter.resolve();
        else waiters.push(waiter);
    }
  };
  const workers = Promise.all([0, 1, 2, 3].map(worker));
  return {
    acked,
    failures: () => failures,
    /** Resolves once n writes were acknowledged (progress-driven, no sleeping). */
    reach: (n: number) => new Promise<void>((resolve) => (acked.length >= n ? resolve() : waiters.push({ n, resolve }))),
    stop: async () => {
      stopped = true;
      await workers;
    },
  };
}

describe('backup while writing, restore into an empty folder', () => {
  let live: TestServer;
  let work: string;
  const restored: TestServer[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-backup-'));
    live = await startTestServer();
    const applied = await live.post('/api/meta/apply', documents);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  }, 120_000);
  afterAll(async () => {
    for (const server of restored) await server.close();
    await live?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('the restored servers answer every metadata item, user and record as the live one did', { timeout: 600_000 }, async () => {
    const accounts: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await live.post<any>('/api/data/account', { name: `Account ${i}`, phone: `020 7946 ${String(2000 + i)}` });
      expect(res.status).toBe(201);
      accounts.push(res.body.id);
    }
    await live.createUser({ email: 'rep@crm.test', name: 'Rep', roles: [] });

    const load = loadGenerator(live, accounts);
    await load.reach(50);
    // The CLI (another process) copies the database while the four clients write.
    const ackedBeforeCli = new Set(load.acked);
    const cliArchive = path.join(work, 'cli.tar.gz');
    const backedUp = await crm(live.dataDir, 'backup', cliArchive);
    expect(backedUp.code, backedUp.out).toBe(0);
    const writesDuringCli = load.acked.length - ackedBeforeCli.size;
    // And the admin endpoint, still under load.
    const ackedBeforeApi = new Set(load.acked);
    const apiBackup = await live.post<any>('/api/backups');
    expect(apiBackup.status, JSON.stringify(apiBackup.body)).toBe(201);
    await load.reach(load.acked.length + 20);
    await load.stop();
    expect(load.failures()).toBe(0);
    expect(writesDuringCli).toBeGreaterThan(0);

    const listed = await live.get<any>('/api/backups');
    expect(listed.body.items.map((b: any) => b.name)).toContain(apiBackup.body.name);
    const download = await fetch(`${live.url}/api/backups/${apiBackup.body.name}`, { headers: { authorization: `Bearer ${live.admin!.token}` } });
    expect(download.status).toBe(200);
    const apiArchive = path.join(work, 'api.tar.gz');
    await writeFile(apiArchive, Buffer.from(await download.arrayBuffer()));
    expect((await live.get('/api/backups/..%2Fcrm.db')).status).toBe(404);

    const liveDeals = new Map((await allRecords(live, 'deal')).map((d) => [d.id, d]));
    expect(liveDeals.size).toBe(load.acked.length);
    const liveAccounts = await allRecords(live, 'account');
    const liveUsers = (await live.get<any>('/api/users')).body;

    for (const [name, archive, ackedBefore] of [['cli', cliArchive, ackedBeforeCli], ['api', apiArchive, ackedBeforeApi]] as const) {
      const target = path.join(work, `restored-${name}`);
      const done = await crm(target, 'restore', archive);
      expect(done.code, done.out).toBe(0);
      const refused = await crm(target, 'restore', archive);
      expect(refused.code).not.toBe(0);
      expect(refused.out).toContain('not empty');

      const copy = await startTestServer({ dataDir: target });
      restored.push(copy);
      for (const kind of allKinds()) {
        const [a, b] = await Promise.all([live.get<any>(`/api/meta/${kind.plural}`), copy.get<any>(`/api/meta/${kind.plural}`)]);
        expect(b.status).toBe(a.status);
        expect(b.body, `${name}: ${kind.plural}`).toEqual(a.body);
      }
      expect((await copy.get<any>('/api/meta/revisions')).body).toEqual((await live.get<any>('/api/meta/revisions')).body);
      expect((await copy.get<any>('/api/users')).body).toEqual(liveUsers);
      expect(await allRecords(copy, 'account')).toEqual(liveAccounts);

      const deals = await allRecords(copy, 'deal');
      for (const id of ackedBefore) expect(deals.some((d) => d.id === id), `${name}: deal ${id} acknowledged before the backup`).toBe(true);
      for (const deal of deals) expect(deal, `${name}: ${deal.id}`).toEqual(liveDeals.get(deal.id));
      const sample = deals[deals.length - 1];
      expect((await copy.get<any>(`/api/data/deal/${sample.id}/history`)).body).toEqual((await live.get<any>(`/api/data/deal/${sample.id}/history`)).body);
      const big = (await copy.get<any>('/api/data/deal?view=bigDeals&limit=1000')).body.items;
      expect(big.length).toBe(deals.filter((d) => d.amount > 500).length);
    }
  });

  it('refuses a file that is no backup archive', { timeout: 120_000 }, async () => {
    const empty = path.join(work, 'empty');
    await mkdir(empty);
    const bogus = path.join(work, 'bogus.tar.gz');
    await writeFile(bogus, 'not an archive');
    const res = await crm(empty, 'restore', bogus);
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('Not a usable backup');
  });
});
