// The change logs that keep a record's values so that a job can be undone — an import's (the
// record before the row updated it) and a cleansing job's (the record before the cleanse) — are
// copies of that record. After the record is erased they must not hold its personal values: the
// search for copies elsewhere replaces strings of five characters or more (a shorter one would
// match inside other texts), and a Chinese name ("李安"), a city ("杭州") are shorter — they stayed.
// The logs name the record they copy: its own entries are scrubbed of its personal fields whatever
// their length.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from '../import/support.ts';

const member = {
  kind: 'entity', name: 'member', label: { en: 'Member', zh: '会员' }, titleField: 'name', privacy: { subjectField: 'email', erasure: 'anonymize' },
  fields: { name: { type: 'text', required: true, personal: true }, email: { type: 'email', personal: true }, city: { type: 'text', personal: true }, tier: { type: 'text' } },
};

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/member', member)).status).toBe(201);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-short-values-'));
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const logsOf = async (collection: string, recordId: string) => (await server.server.store.find(collection, { filter: { kind: 'true' }, sort: [], limit: 10_000 })).filter((row) => row.data['recordId'] === recordId).map((row) => row.data);

describe('erasing a record a cleansing job and an import changed', () => {
  it('leaves neither log holding its personal values, short ones included; the other values stay', async () => {
    const made = await server.post<any>('/api/data/member', { name: ' 李安 ', email: 'li.an@example.cn', city: '杭州', tier: 'gold' });
    expect(made.status).toBe(201);
    // Cleansing rules came after the record: a job trims its name.
    expect((await server.put('/api/meta/entities/member', { ...member, cleansing: { name: { trim: true } } })).status).toBe(200);
    const cleanse = await server.post<any>('/api/quality/member/cleanse', { fields: ['name'], dryRun: false });
    expect(cleanse.status, JSON.stringify(cleanse.body)).toBe(202);
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    expect((await server.get<any>(`/api/data/member/${made.body.id}`)).body.name).toBe('李安');
    // An import moves them to another city, found by e-mail.
    const file = path.join(dir, 'members.csv');
    await writeFile(file, 'E-mail,City\nli.an@example.cn,上海\n');
    const job = await runJob(server, { upload: await upload(server, file, 'members.csv'), mapping: { name: 'members', targets: [{ entity: 'member', key: ['email'], columns: { email: 'E-mail', city: 'City' } }] }, mode: 'validOnly' });
    expect(job.counts.updated).toBe(1);
    const before = [...(await logsOf('_cleanseChanges', made.body.id)), ...(await logsOf('_importChanges', made.body.id))];
    expect(before).toHaveLength(2);
    expect(JSON.stringify(before)).toMatch(/李安/);
    expect(JSON.stringify(before)).toMatch(/杭州/);

    const erased = await server.post<any>('/api/privacy/erase', { email: 'li.an@example.cn' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const after = [...(await logsOf('_cleanseChanges', made.body.id)), ...(await logsOf('_importChanges', made.body.id))];
    expect(after).toHaveLength(2);
    expect(JSON.stringify(after)).not.toMatch(/李安|杭州|上海|li\.an/);
    expect(after.every((log) => (log['before'] as Record<string, unknown>)['tier'] === 'gold')).toBe(true);
  });
});
