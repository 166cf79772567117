// An erasure outlives a restore: a backup taken before a person was erased still holds their data.
// With CRM_ERASURE_LOG (a file kept apart from the data folder), a server started on a restored
// older backup applies every later erasure again before it serves — by the person's identifier (the
// log holds a salted digest of it, never the value) and by the ids of the records erased (a record
// whose e-mail changed after the backup) — and only once. Without the log, the restore brings the
// person back: what the setting is for. The real CLI backs up and restores; the data folder is
// searched for the erased values.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerFileError, readLedgerFile } from '../../engine/privacy/erasure-ledger.ts';
import { runCrm } from '../support/crm-cli.ts';
import { filesContaining } from '../support/data-folder.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const documents = [
  {
    kind: 'entity', name: 'member', label: 'Member', titleField: 'name',
    privacy: { erasure: 'anonymize', subjectField: 'email' },
    fields: { name: { type: 'text', required: true, personal: true }, email: { type: 'email', unique: true, personal: true }, tier: { type: 'text' } },
  },
  { kind: 'entity', name: 'lead', label: 'Lead', privacy: { erasure: 'delete', subjectField: 'email' }, fields: { email: { type: 'email', personal: true }, company: { type: 'text' } } },
  { kind: 'entity', name: 'purchase', label: 'Purchase', fields: { member: { type: 'lookup', to: 'member' }, amount: { type: 'number' }, shipTo: { type: 'text', personal: true } } },
];

const erasedValues = ['Zelda Quixotic', 'zelda.quixotic', 'Wapping Old Stairs', 'Yara Yellowlees', 'yara.yellowlees'];

describe('erasures applied again to a restored backup (CRM_ERASURE_LOG)', () => {
  let work: string;
  let ledger: string;
  let live: TestServer;
  const servers: TestServer[] = [];
  const ids: Record<string, string> = {};
  let archive: string;

  const start = async (dataDir: string, withLedger = true) => {
    const server = await startTestServer({ dataDir, ...(withLedger ? { env: { CRM_ERASURE_LOG: ledger } } : {}) });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-erasure-ledger-'));
    ledger = path.join(work, 'erasures.jsonl');
    live = await start(path.join(work, 'live'));
    expect((await live.post('/api/meta/apply', { documents })).status).toBe(200);
    const make = async (entity: string, body: object) => {
      const res = await live.post(`/api/data/${entity}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    ids['zelda'] = await make('member', { name: 'Zelda Quixotic', email: 'zelda.quixotic@example.org', tier: 'gold' });
    ids['zeldaLead'] = await make('lead', { email: 'Zelda.Quixotic@Example.ORG', company: 'Quixote Holdings' });
    ids['zeldaPurchase'] = await make('purchase', { member: ids['zelda'], amount: 120, shipTo: 'Wapping Old Stairs 3' });
    ids['yara'] = await make('member', { name: 'Yara Yellowlees', email: 'yara.yellowlees@example.org' });
    ids['bob'] = await make('member', { name: 'Bob Kept', email: 'bob@example.org', tier: 'silver' });

    // The backup holds everyone; then Yara's e-mail changes and Zelda and Yara are erased.
    archive = path.join(work, 'before-erasure.tgz');
    const backedUp = await runCrm({ dataDir: live.dataDir }, 'backup', archive);
    expect(backedUp.code, backedUp.out).toBe(0);
    expect((await live.patch(`/api/data/member/${ids['yara']}`, { email: 'yara.new@example.org' })).status).toBe(200);
    for (const email of ['ZELDA.quixotic@example.org', 'yara.new@example.org', 'nobody@example.org']) {
      expect((await live.post('/api/privacy/erase', { email })).status).toBe(200);
    }
  }, 180_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    await rm(work, { recursive: true, force: true });
  });

  it('the log holds one entry per erasure and no identifier or value', async () => {
    const text = await readFile(ledger, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(3);
    expect(text).not.toMatch(/zelda|quixot|yara|nobody|example\.org|wapping/i);
    const { entries } = await readLedgerFile(ledger);
    // The records each erased because they named the person (not the purchase linked to Zelda).
    expect(entries[0]!.records.sort()).toEqual([`lead/${ids['zeldaLead']}`, `member/${ids['zelda']}`].sort());
    expect(entries[1]!.records).toEqual([`member/${ids['yara']}`]);
    expect(entries[2]!.records).toEqual([]);
  });

  it('without the log, a restored backup brings the erased person back', async () => {
    const target = path.join(work, 'restored-without-log');
    const restored = await runCrm({ dataDir: target }, 'restore', archive);
    expect(restored.code, restored.out).toBe(0);
    const server = await start(target, false);
    expect((await server.get(`/api/data/member/${ids['zelda']}`)).body.name).toBe('Zelda Quixotic');
    expect((await server.get(`/api/privacy/export?email=zelda.quixotic@example.org`)).body.records.length).toBe(3);
  });

  it('with the log, the server on the restored backup erases them again before it serves, and only once', async () => {
    const target = path.join(work, 'restored');
    const restored = await runCrm({ dataDir: target }, 'restore', archive);
    expect(restored.code, restored.out).toBe(0);
    expect((await filesContaining(target, erasedValues)).length).toBeGreaterThan(0); // the search works: the backup holds them
    const server = await start(target);

    const zelda = (await server.get(`/api/data/member/${ids['zelda']}`)).body;
    expect(zelda.name).toBe('erased');
    expect(zelda.email).toMatch(/@erased\.invalid$/);
    expect(zelda.tier).toBe('gold');
    expect((await server.get(`/api/data/lead/${ids['zeldaLead']}`)).status).toBe(404);
    const purchase = (await server.get(`/api/data/purchase/${ids['zeldaPurchase']}`)).body;
    expect(purchase).not.toHaveProperty('shipTo');
    expect(purchase.amount).toBe(120);
    // Yara was erased under an e-mail this backup never saw: found by her record's id.
    expect((await server.get(`/api/data/member/${ids['yara']}`)).body.name).toBe('erased');
    expect((await server.get(`/api/data/member/${ids['bob']}`)).body).toMatchObject({ name: 'Bob Kept', email: 'bob@example.org', tier: 'silver' });
    expect((await server.get(`/api/privacy/export?email=zelda.quixotic@example.org`)).body.records).toEqual([]);
    const history = (await server.get(`/api/data/member/${ids['zelda']}/history`)).body.items as { action: string }[];
    expect(history.filter((h) => h.action === 'erase')).toHaveLength(1);
    expect(await filesContaining(target, erasedValues)).toEqual([]);

    // Started again: nothing is applied twice, and the log did not grow.
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const again = await start(target);
    const historyAgain = (await again.get(`/api/data/member/${ids['zelda']}/history`)).body.items as { action: string }[];
    expect(historyAgain).toEqual(history);
    expect((await readFile(ledger, 'utf8')).trim().split('\n')).toHaveLength(3);
  });

  it('an erasure the log missed (the process died while appending it) is appended at the next start', async () => {
    await live.close();
    servers.splice(servers.indexOf(live), 1);
    const entries = (await readLedgerFile(ledger)).entries;
    // The last entry cut short: the process died while appending it, after its erasure committed.
    await writeFile(ledger, `${entries.slice(0, 2).map((e) => JSON.stringify(e)).join('\n')}\n${JSON.stringify(entries[2]).slice(0, 20)}`);
    expect((await readLedgerFile(ledger)).tornTail).toBe(true);
    await start(live.dataDir);
    const after = await readLedgerFile(ledger);
    expect(after.tornTail).toBe(false);
    expect(after.entries).toEqual(entries);
  });

  it('a line that is no entry stops the start, naming the file and the line', async () => {
    const broken = path.join(work, 'broken.jsonl');
    await writeFile(broken, '{"id":"a","at":"x","salt":"s","digest":"d","records":[]}\nnot json\n{"id":"b","at":"x","salt":"s","digest":"d","records":[]}\n');
    const error = await readLedgerFile(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerFileError);
    expect(String(error)).toContain(`${broken}, line 2`);
    await writeFile(broken, '{"id":"a","at":"x","salt":"s","digest":"d","records":[]}\n{"id":"c"');
    expect(await readLedgerFile(broken)).toMatchObject({ tornTail: true, entries: [{ id: 'a' }] });
  });

  it('a log the server cannot write stops the start, naming the setting (not the first erasure, failing later)', async () => {
    const missing = path.join(work, 'no-such-folder', 'erasures.jsonl');
    const error = await startTestServer({ dataDir: path.join(work, 'unwritable'), env: { CRM_ERASURE_LOG: missing } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerFileError);
    expect(String(error)).toContain(`CRM_ERASURE_LOG ${missing}: cannot be written (ENOENT)`);
  });
});
