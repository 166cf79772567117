// The `file` field type over real HTTP: uploads streamed to the data folder within the field's
// limits (413 while streaming past maxSize, with nothing left on disk; 415 for a type the field does
// not take), claimed by the record write that names them, downloaded as attachments by whoever may
// read the record and the field (404 otherwise), deleted with the record or when taken out of the
// field, swept when never claimed (the clock advanced, the scheduler run), and carried by a backup.

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup } from '../../engine/backup/backup-archive.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;

const pdf = Buffer.from('%PDF-1.4\n' + 'x'.repeat(500));
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The credentials a client sends: the admin's token, or a user's session cookie and CSRF token. */
function credentials(user?: TestUser): Record<string, string> {
  if (!user) return { authorization: `Bearer ${server.admin!.token}` };
  const session = user.client as unknown as { cookie: string; csrfToken: string };
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

async function upload(args: { user?: TestUser; field: string; bytes: Buffer; type: string; name?: string; recordId?: string; entity?: string; chunked?: boolean; locale?: string }) {
  const query = new URLSearchParams({ entity: args.entity ?? 'case', field: args.field, ...(args.recordId ? { recordId: args.recordId } : {}) });
  // chunked: no Content-Length, so the limit can only be found while the body streams.
  const body = args.chunked
    ? new ReadableStream({
        start(controller) {
          for (let i = 0; i < args.bytes.length; i += 256) controller.enqueue(args.bytes.subarray(i, i + 256));
          controller.close();
        },
      })
    : args.bytes;
  const res = await fetch(`${server.url}/api/files?${query}`, {
    method: 'POST',
    headers: { ...credentials(args.user), 'content-type': args.type, 'x-file-name': encodeURIComponent(args.name ?? 'report.pdf'), 'accept-language': args.locale ?? 'en' },
    body,
    ...(args.chunked ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as any };
}

async function download(id: string, user?: TestUser) {
  const res = await fetch(`${server.url}/api/files/${id}`, { headers: credentials(user) });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Signs the user in again (the clock ran past the session's life). */
async function signInAgain(user: TestUser): Promise<void> {
  user.client = await server.userClient(user.email, user.password);
}

/** Every stored file's bytes on disk, finished or in progress. */
async function filesOnDisk(dataDir = server.dataDir): Promise<string[]> {
  const names = async (folder: string) => (await readdir(path.join(dataDir, folder)).catch(() => [])).map((n) => `${folder}/${n}`);
  return [...(await names('files')), ...(await names('files-incoming'))].sort();
}

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    {
      kind: 'entity', name: 'case', label: 'Case', titleField: 'title',
      fields: {
        title: { type: 'text', required: true },
        attachments: { type: 'file', multiple: true, maxItems: 3, maxSize: 1000, contentTypes: ['application/pdf', 'image/*'], label: { en: 'Attachments', zh: '附件' } },
        photo: { type: 'file', contentTypes: ['image/*'] },
        secret: { type: 'file' },
      },
    },
    {
      kind: 'entity', name: 'person', label: 'Person', titleField: 'email', privacy: { erasure: 'delete', subjectField: 'email' },
      fields: { email: { type: 'email', personal: true }, passport: { type: 'file', contentTypes: ['image/*'] } },
    },
    { kind: 'role', name: 'agent', label: 'Agent', permissions: { case: { create: true, read: 'own', update: 'own', delete: 'own', fields: { secret: 'hidden' } } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  alice = await server.createUser({ roles: ['agent'] });
  bob = await server.createUser({ roles: ['agent'] });
}, 60_000);
afterAll(async () => server?.close());

describe('file fields', () => {
  let caseId: string;
  let fileId: string;

  it('take an upload within the limits before the record exists, and the record write claims it', async () => {
    const up = await upload({ user: alice, field: 'attachments', bytes: pdf, type: 'application/pdf', name: '报告 Q1.pdf' });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ name: '报告 Q1.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha(pdf), field: 'attachments', pending: true });
    fileId = up.body.id;
    expect(await filesOnDisk()).toEqual([`files/${fileId}`]);

    const created = await alice.client.post('/api/data/case', { title: 'Broken printer', attachments: [fileId] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    caseId = created.body.id;
    expect(created.body.attachments).toEqual([{ id: fileId, name: '报告 Q1.pdf', contentType: 'application/pdf', size: pdf.length }]);
    // Read back, the value is the same descriptor; writing the descriptor back keeps the file.
    const read = await alice.client.get(`/api/data/case/${caseId}`);
    expect(read.body.attachments).toEqual(created.body.attachments);
    const kept = await alice.client.patch(`/api/data/case/${caseId}`, { title: 'Broken printer (2)', attachments: read.body.attachments });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    expect(kept.body.attachments).toEqual(created.body.attachments);
    const listed = await alice.client.get(`/api/files?entity=case&recordId=${caseId}`);
    expect(listed.body.items.map((f: any) => [f.id, f.field, f.pending])).toEqual([[fileId, 'attachments', undefined]]);
  });

  it('send the file as an attachment to whoever may read the record; 404 to anyone else', async () => {
    const mine = await download(fileId, alice);
    expect(mine.status).toBe(200);
    expect(mine.bytes.equals(pdf)).toBe(true);
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('报告 Q1.pdf')}`);
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect(mine.headers.get('content-type')).toBe('application/pdf');
    expect((await download(fileId)).status).toBe(200);
    // Bob's scope is his own records: Alice's case and its files do not exist for him.
    const theirs = await download(fileId, bob);
    expect(theirs.status).toBe(404);
    expect(theirs.bytes.toString()).not.toContain('%PDF');
    expect((await bob.client.get(`/api/files?entity=case&recordId=${caseId}`)).status).toBe(404);
  });

  it('refuse a file over the field\'s maxSize with 413 naming the field — declared or found while streaming — and keep nothing', async () => {
    const before = await filesOnDisk();
    const big = Buffer.alloc(5000, 1);
    const declared = await upload({ user: alice, field: 'attachments', bytes: big, type: 'application/pdf' });
    expect(declared.status).toBe(413);
    expect(declared.body.error.details).toEqual([{ path: '/attachments', code: 'FILE_TOO_LARGE', message: 'takes files of at most 1000 bytes' }]);
    const streamed = await upload({ user: alice, field: 'attachments', bytes: big, type: 'application/pdf', chunked: true, locale: 'zh-CN' });
    expect(streamed.status).toBe(413);
    expect(streamed.body.error.details).toEqual([{ path: '/attachments', code: 'FILE_TOO_LARGE', message: '文件不能超过 1000 bytes' }]);
    expect(await filesOnDisk()).toEqual(before);
    // Within the limit, streamed without a length, it is taken whole and hashed on the way.
    const small = Buffer.alloc(900, 7);
    const ok = await upload({ user: alice, field: 'photo', bytes: small, type: 'image/png', name: 'p.png', chunked: true });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ size: 900, sha256: sha(small) });
  });

  it('refuse a type the field does not take (415) and a field that is not a file field, naming them', async () => {
    const html = await upload({ user: alice, field: 'attachments', bytes: Buffer.from('<script>alert(1)</script>'), type: 'text/html', name: 'x.html' });
    expect(html.status).toBe(415);
    expect(html.body.error.details).toEqual([{ path: '/attachments', code: 'FILE_TYPE', message: 'takes only application/pdf, image/* (not text/html)' }]);
    const wrongField = await upload({ user: alice, field: 'title', bytes: pdf, type: 'application/pdf' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.details).toEqual([{ path: '/query/field', message: 'is not a file field of case' }]);
    const noName = await upload({ user: alice, field: 'attachments', bytes: pdf, type: 'application/pdf', name: '' });
    expect(noName.status).toBe(400);
    expect(noName.body.error.details[0].path).toBe('/headers/x-file-name');
  });

  it('refuse writing an id that is not a pending upload of that field by the writer (400, pointer)', async () => {
    const bobs = await upload({ user: bob, field: 'attachments', bytes: pdf, type: 'application/pdf' });
    const photo = await upload({ user: alice, field: 'photo', bytes: Buffer.from('png'), type: 'image/png', name: 'a.png' });
    const refused = await alice.client.post('/api/data/case', { title: 'x', attachments: [bobs.body.id, photo.body.id, '01ARZ3NDEKTSV4RRFFQ69G5FAV'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: any) => [d.path, d.code])).toEqual([['/attachments/0', 'FILE_UNKNOWN'], ['/attachments/1', 'FILE_UNKNOWN'], ['/attachments/2', 'FILE_UNKNOWN']]);
    // A file already claimed by one record cannot be written into another.
    const again = await alice.client.post('/api/data/case', { title: 'y', attachments: [fileId] });
    expect(again.status).toBe(400);
    expect(again.body.error.details[0].path).toBe('/attachments/0');
    // An upload for one record is not another's.
    const forThis = await upload({ user: alice, field: 'attachments', bytes: pdf, type: 'application/pdf', recordId: caseId });
    expect(forThis.status).toBe(201);
    const elsewhere = await alice.client.post('/api/data/case', { title: 'z', attachments: [forThis.body.id] });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details[0]).toMatchObject({ path: '/attachments/0', code: 'FILE_UNKNOWN' });
    // Uploading for someone else's record: it does not exist for the caller.
    const forTheirs = await upload({ user: bob, field: 'attachments', bytes: pdf, type: 'application/pdf', recordId: caseId });
    expect(forTheirs.status).toBe(404);
  });

  it('hide the files of a field the role hides: no upload, no download, not listed', async () => {
    const refused = await upload({ user: alice, field: 'secret', bytes: pdf, type: 'application/pdf' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: '/query/field', message: 'is not a file field of case' }]);
    const secret = Buffer.from('the admin only');
    const up = await upload({ field: 'secret', bytes: secret, type: 'text/plain', name: 'secret.txt', recordId: caseId });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const set = await server.patch(`/api/data/case/${caseId}`, { secret: up.body.id });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.secret).toMatchObject({ id: up.body.id, name: 'secret.txt' });
    expect((await download(up.body.id)).status).toBe(200);
    expect((await download(up.body.id, alice)).status).toBe(404);
    expect((await alice.client.get(`/api/data/case/${caseId}`)).body).not.toHaveProperty('secret');
    expect((await alice.client.get(`/api/files?entity=case&recordId=${caseId}`)).body.items.map((f: any) => f.id)).toEqual([fileId]);
  });

  it('delete a file taken out of its field, and every file of a deleted record, bytes included', async () => {
    const second = await upload({ user: alice, field: 'attachments', bytes: Buffer.from('%PDF second'), type: 'application/pdf' });
    const patched = await alice.client.patch(`/api/data/case/${caseId}`, { attachments: [fileId, second.body.id] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const removed = await alice.client.patch(`/api/data/case/${caseId}`, { attachments: [second.body.id] });
    expect(removed.status).toBe(200);
    expect((await download(fileId)).status).toBe(404);
    expect(await filesOnDisk()).not.toContain(`files/${fileId}`);
    const onRecord = (await server.get(`/api/files?entity=case&recordId=${caseId}`)).body.items.map((f: any) => f.id);
    expect(onRecord).toHaveLength(2); // the second attachment and the secret
    expect((await alice.client.delete(`/api/data/case/${caseId}`)).status).toBe(204);
    for (const id of onRecord) {
      expect((await download(id)).status).toBe(404);
      expect(await filesOnDisk()).not.toContain(`files/${id}`);
    }
  });

  it('sweep an upload no record claimed once it expired (the clock advanced, the scheduler run)', async () => {
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    const orphan = await upload({ user: alice, field: 'attachments', bytes: pdf, type: 'application/pdf' });
    expect(orphan.status).toBe(201);
    server.clock.advance(23 * 60 * 60 * 1000);
    await signInAgain(alice);
    const fresh = await upload({ user: alice, field: 'attachments', bytes: pdf, type: 'application/pdf' });
    await scheduler.runDue();
    await signInAgain(alice);
    expect((await download(orphan.body.id, alice)).status).toBe(200);
    server.clock.advance(2 * 60 * 60 * 1000);
    await scheduler.runDue();
    await signInAgain(alice);
    expect((await download(orphan.body.id, alice)).status).toBe(404);
    expect(await filesOnDisk()).not.toContain(`files/${orphan.body.id}`);
    // The later one is still within its day, and still claimable.
    expect((await download(fresh.body.id, alice)).status).toBe(200);
    const claimed = await alice.client.post('/api/data/case', { title: 'late', attachments: [fresh.body.id] });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    server.clock.advance(48 * 60 * 60 * 1000);
    await scheduler.runDue();
    await signInAgain(alice);
    expect((await download(fresh.body.id, alice)).status).toBe(200);
  });

  it('go with a person erased under privacy rules (swept on the next scheduler run)', async () => {
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    const scan = Buffer.from('passport scan');
    const up = await upload({ entity: 'person', field: 'passport', bytes: scan, type: 'image/jpeg', name: 'passport.jpg' });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const person = await server.post('/api/data/person', { email: 'zed@example.org', passport: up.body.id });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    expect(await filesOnDisk()).toContain(`files/${up.body.id}`);
    const erased = await server.post('/api/privacy/erase', { email: 'zed@example.org' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect((await download(up.body.id)).status).toBe(404);
    await scheduler.runDue();
    expect(await filesOnDisk()).not.toContain(`files/${up.body.id}`);
  });

  it('travel with a backup: the archive holds the bytes, a restored server sends them', async () => {
    const bytes = Buffer.from('%PDF kept across a restore');
    // The clock ran on by days: the administrator's token, not a session, does this.
    const up = await upload({ field: 'attachments', bytes, type: 'application/pdf', name: 'kept.pdf' });
    const created = await server.post('/api/data/case', { title: 'backed up', attachments: [up.body.id] });
    expect(created.status).toBe(201);
    const backup = await server.post('/api/backups');
    expect(backup.status, JSON.stringify(backup.body)).toBe(201);
    expect(backup.body.manifest.entries).toContainEqual({ path: `files/${up.body.id}`, bytes: bytes.length, sha256: sha(bytes) });
    const restored = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-restore-')), 'data');
    await restoreBackup({ archive: path.join(server.dataDir, 'backups', backup.body.name), dataDir: restored });
    const other = await startTestServer({ dataDir: restored });
    try {
      const res = await fetch(`${other.url}/api/files/${up.body.id}`, { headers: { authorization: `Bearer ${other.admin!.token}` } });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      await other.close();
      await rm(path.dirname(restored), { recursive: true, force: true });
    }
  }, 60_000);
});
