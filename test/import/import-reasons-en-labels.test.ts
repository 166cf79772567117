// A rejected row's reason read in English names the entity and the field by their English labels,
// as the Chinese one does by its Chinese labels: "no depot with title …" reads as code to an admin
// whose studio says "Warehouse" and "Depot name". A label that differs from the code in more than
// letter case shows it (`depot`/Warehouse, `title`/Depot name).

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;

const metadata = [
  { kind: 'entity', name: 'depot', label: { en: 'Warehouse', zh: '仓库' }, titleField: 'title', fields: { title: { type: 'text', label: { en: 'Depot name', zh: '仓库名称' }, required: true }, city: { type: 'text', label: { en: 'Town', zh: '城市' } } } },
  {
    kind: 'entity', name: 'parcel', label: { en: 'Parcel', zh: '包裹' }, titleField: 'code',
    fields: {
      code: { type: 'text', label: { en: 'Tracking number', zh: '单号' }, required: true }, depot: { type: 'lookup', to: 'depot', label: { en: 'Warehouse', zh: '仓库' } },
      stage: { type: 'picklist', label: { en: 'Delivery state', zh: '投递状态' }, options: { packed: { label: 'Packed' }, shipped: { label: 'Shipped' } } },
    },
  },
  {
    kind: 'workflow', name: 'parcelFlow', entity: 'parcel', label: 'Parcels', field: 'stage',
    states: { packed: { label: 'Packed', initial: true }, shipped: { label: 'Shipped' } }, transitions: { ship: { label: 'Ship', from: 'packed', to: 'shipped' } },
  },
];

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'reasons-en-'));
  expect((await server.post('/api/meta/apply', metadata)).status).toBe(200);
  for (const depot of [{ title: 'North', city: 'Leeds' }, { title: 'South', city: 'Brighton' }, { title: 'South', city: 'Dover' }]) expect((await server.post('/api/data/depot', depot)).status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

async function reasons(csv: string, mapping: unknown, language: 'en' | 'zh' = 'en'): Promise<string[]> {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, csv);
  const job = await runJob(server, { upload: await upload(server, file, path.basename(file)), mapping, mode: 'dryRun' });
  expect(job.status).toBe('done');
  const rows = await server.get<any>(`/api/import/jobs/${job.id}/rows`, { 'accept-language': language });
  return rows.body.items.flatMap((r: any) => r.issues.map((i: any) => i.reason));
}

describe('reasons in English name entities and fields by their labels', () => {
  it('a lookup matching no record, or several', async () => {
    const got = await reasons('Code,Depot\nP1,East\nP2,South\nP3,North\n', { name: 'parcels', targets: [{ entity: 'parcel', columns: { code: 'Code', depot: 'Depot' }, lookups: { depot: { by: 'title' } } }] });
    expect(got).toEqual(['no Warehouse with Depot name "East"', 'more than one Warehouse has Depot name "South": the row cannot say which (rename one, or give the id)']);
  });

  it('an upsert key several records hold', async () => {
    const got = await reasons('Name,Town\nSouth,Hove\n', { name: 'depots', targets: [{ entity: 'depot', key: ['title'], columns: { title: 'Name', city: 'Town' } }] });
    expect(got).toEqual(['more than one Warehouse has this Depot name']);
  });

  it('a field a workflow drives, outside a history import', async () => {
    const got = await reasons('Code,State\nP9,shipped\n', { name: 'parcel-states', targets: [{ entity: 'parcel', columns: { code: 'Code', stage: 'State' } }] });
    expect(got).toEqual(['"Delivery state" is driven by a workflow: change it by taking a transition']);
  });

  it('an id no record has, in either language', async () => {
    const mapping = { name: 'depots-by-id', targets: [{ entity: 'depot', key: ['id'], columns: { id: 'ID', title: 'Name' } }] };
    const csv = 'ID,Name\n01JAAAAAAAAAAAAAAAAAAAAAAA,West\n';
    expect(await reasons(csv, mapping)).toEqual([expect.stringMatching(/^no Warehouse with id "01JAAAAAAAAAAAAAAAAAAAAAAA" that you may update/)]);
    expect(await reasons(csv, mapping, 'zh')).toEqual([expect.stringMatching(/^没有 ID 为「01JAAAAAAAAAAAAAAAAAAAAAAA」且您可修改的仓库/)]);
  });
});
