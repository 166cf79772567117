// A backup taken while clients create records with files and delete others (whose files go with
// them): every record the archive holds must have its files' bytes in it. The records are a
// stranger's — a Chinese-only label, a multi-file field, text with commas, quotes, newlines and
// emoji. Restored into an empty folder, a server answers every metadata item, record and file byte
// for byte as the live one did for what it still has; a restore into a non-empty folder is refused
// with a message naming the folder, in the terminal's language.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allKinds } from '../../engine/kinds/registry.ts';
import { runCrm } from '../support/crm-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { uploadFile } from '../support/upload-file.ts';

const crm = (dataDir: string, lang: string, ...args: string[]) => runCrm({ dataDir, lang }, ...args);

const dossier = {
  kind: 'entity', name: 'dossier', label: { zh: '档案' }, titleField: 'title',
  fields: { title: { type: 'text', required: true, label: { zh: '标题' } }, scans: { type: 'file', multiple: true, label: { zh: '扫描件' } }, note: { type: 'textarea' } },
};
/** The bytes of a record's n-th file: known to the test, compared with what a server hands out. */
const content = (title: string, n: number) => `${title} / scan ${n}, "quoted", 🦄\n`.repeat(20);

let live: TestServer;
let work: string;

async function createDossier(server: TestServer, title: string): Promise<string> {
  const scans = [];
  for (const n of [1, 2]) scans.push(await uploadFile(server, { entity: 'dossier', field: 'scans', name: `${title}-${n}.txt`, text: content(title, n) }));
  const res = await server.post<any>('/api/data/dossier', { title, scans, note: 'a, b\n"c" 🦄' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function allDossiers(server: TestServer): Promise<any[]> {
  const res = await server.get<any>('/api/data/dossier?limit=1000&sort=id');
  expect(res.status).toBe(200);
  return res.body.items;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-backup-files-'));
  live = await startTestServer();
  expect((await live.put('/api/meta/entities/dossier', dossier)).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await live?.close();
  await rm(work, { recursive: true, force: true });
});

describe('backup with files while records come and go', () => {
  it('every record in the archive has its files, byte for byte, after a restore', { timeout: 600_000 }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push(await createDossier(live, `档案 ${i}`));
    // Deleting records (their files go with them) and creating new ones until the backup answers.
    let done = false;
    let created = 0;
    let deleted = 0;
    const deleter = async () => {
      while (!done && ids.length > 0) {
        const id = ids.shift()!;
        expect((await live.delete(`/api/data/dossier/${id}`)).status).toBeLessThan(300);
        deleted++;
      }
    };
    const creator = async () => {
      while (!done) await createDossier(live, `新档案 ${created++}`);
    };
    const load = Promise.all([deleter(), deleter(), creator()]);
    const backup = await live.post<any>('/api/backups');
    done = true;
    await load;
    expect(backup.status, JSON.stringify(backup.body)).toBe(201);
    expect(deleted).toBeGreaterThan(0);

    const download = await fetch(`${live.url}/api/backups/${backup.body.name}`, { headers: { authorization: `Bearer ${live.admin!.token}` } });
    expect(download.status).toBe(200);
    const archive = path.join(work, 'backup.tar.gz');
    await writeFile(archive, Buffer.from(await download.arrayBuffer()));
    const target = path.join(work, 'restored');
    const restored = await crm(target, 'C.UTF-8', 'restore', archive);
    expect(restored.code, restored.out).toBe(0);

    const copy = await startTestServer({ dataDir: target });
    try {
      for (const kind of allKinds()) {
        const [a, b] = await Promise.all([live.get<any>(`/api/meta/${kind.plural}`), copy.get<any>(`/api/meta/${kind.plural}`)]);
        expect(b.body, kind.plural).toEqual(a.body);
      }
      const liveNow = new Map((await allDossiers(live)).map((d) => [d.id, d]));
      const copied = await allDossiers(copy);
      expect(copied.length).toBeGreaterThan(0);
      const missing: string[] = [];
      for (const record of copied) {
        // What the live server still has is answered identically.
        if (liveNow.has(record.id)) expect(record).toEqual(liveNow.get(record.id));
        for (const [i, file] of (record.scans as { id: string }[]).entries()) {
          const res = await fetch(`${copy.url}/api/files/${file.id}`, { headers: { authorization: `Bearer ${copy.admin!.token}` } });
          if (res.status !== 200) missing.push(`${record.title} #${i + 1}: ${res.status}`);
          else expect(await res.text(), `${record.title} #${i + 1}`).toBe(content(record.title, i + 1));
        }
      }
      expect(missing).toEqual([]);
    } finally {
      await copy.close();
    }
  });

  it('a restore into a folder that is not empty is refused, naming it, in English and Chinese', { timeout: 120_000 }, async () => {
    const archive = path.join(work, 'again.tar.gz');
    const made = await crm(live.dataDir, 'C.UTF-8', 'backup', archive);
    expect(made.code, made.out).toBe(0);
    const en = await crm(live.dataDir, 'C.UTF-8', 'restore', archive);
    expect(en.code).not.toBe(0);
    expect(en.out).toContain(`${live.dataDir} is not empty`);
    const zh = await crm(live.dataDir, 'zh_CN.UTF-8', 'restore', archive);
    expect(zh.code).not.toBe(0);
    expect(zh.out).toContain(`${live.dataDir} 不是空目录`);
    // The live folder is untouched.
    expect((await allDossiers(live)).length).toBeGreaterThan(0);
  });
});
