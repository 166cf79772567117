// An erasure commits in its transaction; deleting the import uploads that held the person's rows
// comes after. When the file system refuses that deletion, the erasure still answers 200 with what
// it did — the records erased, no upload removed, the upload it had to leave listed with its jobs
// and the reason — and the jobs carry `file.removalFailed`, where an admin finds the file to remove;
// the server logs it. The test's server runs as root, whom permissions do not stop: the upload is
// made a directory, which fs.rm refuses to delete without `recursive` — a real refusal of the file system.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from '../import/support.ts';

const member = {
  kind: 'entity', name: 'member', label: { en: 'Member', zh: '会员' }, titleField: 'name', privacy: { subjectField: 'email', erasure: 'anonymize' },
  fields: { name: { type: 'text', required: true, personal: true }, email: { type: 'email', personal: true } },
};
const members = { name: 'members', targets: [{ entity: 'member', key: ['email'], columns: { name: 'Name', email: 'E-mail' } }] };

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/member', member)).status).toBe(201);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-erasure-kept-'));
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an upload the erasure cannot delete', () => {
  it('the erasure answers what it did, lists the upload it left, and marks its job for an admin', async () => {
    const source = path.join(dir, 'm.csv');
    await writeFile(source, 'Name,E-mail\nIda Berg,ida@example.org\nJon Lund,jon@example.org\n');
    const uploaded = await upload(server, source, 'm.csv');
    const job = await runJob(server, { upload: uploaded, mapping: members, mode: 'validOnly' });
    expect(job.counts.created).toBe(2);
    // The file system will refuse to delete what is now in the upload's place.
    const stored = path.join(server.dataDir, 'imports', uploaded);
    await rm(stored);
    await mkdir(stored);

    const log = captureLog();
    const erased = await server.post<any>('/api/privacy/erase', { email: 'ida@example.org' }).finally(() => log.restore());
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    // The server's log names the file left behind, for whoever reads it to remove it.
    expect(log.lines('error').map((l) => l.msg)).toEqual([expect.stringContaining(`the upload ${stored} holds an erased record's row and could not be deleted`)]);
    expect(log.text()).not.toContain('ida@example.org');
    expect(erased.body.erased.map((e: { entity: string }) => e.entity)).toEqual(['member']);
    expect(erased.body.uploadsRemoved).toBe(0);
    expect(erased.body.uploadsKept).toEqual([{ upload: uploaded, jobs: [job.id], reason: 'removalFailed' }]);
    // The erasure committed: the person's record holds their data no more.
    const left = await server.get<any>('/api/data/member?limit=10');
    expect(JSON.stringify(left.body.items)).not.toContain('ida@example.org');
    expect(JSON.stringify(left.body.items)).toContain('jon@example.org');
    // The job says its upload is still there, and since when an erasure could not remove it.
    const file = (await server.get<any>(`/api/import/jobs/${job.id}`)).body.file;
    expect(file.removalFailed).toBe(server.clock.now().toISOString());
    expect(file).not.toHaveProperty('removed');

    // Once the file can go, the next erasure of a row of it deletes it and clears the mark.
    await rm(stored, { recursive: true });
    await writeFile(stored, 'Name,E-mail\nJon Lund,jon@example.org\n');
    const next = await server.post<any>('/api/privacy/erase', { email: 'jon@example.org' });
    expect([next.status, next.body.uploadsRemoved, next.body.uploadsKept]).toEqual([200, 1, []]);
    const after = (await server.get<any>(`/api/import/jobs/${job.id}`)).body.file;
    expect(after.removed).toBe(server.clock.now().toISOString());
    expect(after).not.toHaveProperty('removalFailed');
  });
});
