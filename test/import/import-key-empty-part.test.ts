// Re-running an import creates nothing: also for rows whose composite upsert key has an empty part
// (a contact keyed by name + company, some without a company). Such a row was never looked up, so
// every run created it again. Its empty part now matches a record without that value — or, when the
// field has a default, the value its create stored. A row giving no part of the key still creates.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
let file: string;
const lines = ['name,company,region,phone', 'Ann Lee,Acme,,1', 'Ann Lee,,,2', 'Bo Chen,,,3', 'Bo Chen,Globex,North,4'];
const mapping = (key: string[]) => ({ name: 'people', targets: [{ entity: 'person', key, columns: { name: 'name', company: 'company', region: 'region', phone: 'phone' } }] });

beforeAll(async () => {
  server = await startTestServer();
  const person = { kind: 'entity', name: 'person', label: { en: 'Person', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', required: true }, company: { type: 'text' }, region: { type: 'text', default: 'Unassigned' }, phone: { type: 'text' } } };
  expect((await server.put('/api/meta/entities/person', person)).status).toBe(201);
  file = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-key-empty-')), 'people.csv');
  await writeFile(file, lines.join('\n') + '\n');
}, 120_000);
afterAll(async () => server?.close());

const people = async () => (await server.get<any>('/api/data/person?limit=100&sort=phone')).body.items.map((p: any) => [p.name, p.company ?? null, p.region, p.phone]);

describe('an upsert key with an empty part', () => {
  it('finds the row’s record on a re-run: nothing created twice, a changed value updated', async () => {
    const first = await runJob(server, { upload: await upload(server, file, 'people.csv'), mapping: mapping(['name', 'company']), mode: 'validOnly' });
    expect(first.counts).toMatchObject({ rows: 4, created: 4, rejected: 0 });
    const again = await runJob(server, { upload: await upload(server, file, 'people.csv'), mapping: mapping(['name', 'company']), mode: 'validOnly' });
    expect(again.counts).toMatchObject({ rows: 4, created: 0, unchanged: 4 });
    await writeFile(file, [...lines.slice(0, 2), 'Ann Lee,,,22', ...lines.slice(3)].join('\n') + '\n');
    const changed = await runJob(server, { upload: await upload(server, file, 'people.csv'), mapping: mapping(['name', 'company']), mode: 'validOnly' });
    expect(changed.counts).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    expect(await people()).toEqual([['Ann Lee', 'Acme', 'Unassigned', '1'], ['Ann Lee', null, 'Unassigned', '22'], ['Bo Chen', null, 'Unassigned', '3'], ['Bo Chen', 'Globex', 'North', '4']]);
  });

  it('matches an empty part its default filled by that default, and still creates a row giving no part of the key', async () => {
    const byRegion = await runJob(server, { upload: await upload(server, file, 'people.csv'), mapping: mapping(['name', 'region']), mode: 'validOnly' });
    // Ann Lee (no region: Unassigned) matches one stored Ann Lee with the default — but two are stored: refused, not guessed.
    expect(byRegion.counts).toMatchObject({ created: 0, unchanged: 2, rejected: 2 });
    const empty = path.join(path.dirname(file), 'nameless.csv');
    await writeFile(empty, 'name,company,region,phone\nCy Wu,,,9\n');
    // Company empty, phone given: found again on the second run.
    const byCompanyPhone = mapping(['company', 'phone']);
    const once = await runJob(server, { upload: await upload(server, empty, 'nameless.csv'), mapping: byCompanyPhone, mode: 'validOnly' });
    expect(once.counts).toMatchObject({ created: 1 });
    const twice = await runJob(server, { upload: await upload(server, empty, 'nameless.csv'), mapping: byCompanyPhone, mode: 'validOnly' });
    expect(twice.counts).toMatchObject({ created: 0, unchanged: 1 });
    // Company and region both empty: the row gives no part of its key, so nothing tells which record it is — created.
    const byCompanyRegion = await runJob(server, { upload: await upload(server, empty, 'nameless.csv'), mapping: mapping(['company', 'region']), mode: 'validOnly' });
    expect(byCompanyRegion.counts).toMatchObject({ created: 1, unchanged: 0 });
  });
});
