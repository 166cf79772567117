// Chinese CRMs hold names in both scripts (Hong Kong, Taiwan and mainland customers; old systems):
// normalized and fuzzy duplicate rules read traditional characters as simplified ones, so 張偉 is
// 张伟 and 陳靜 is 陈静 — on the write (a normalized rule's block, a fuzzy rule's warning) and in the
// duplicate scan. Keys kept by the earlier folding, which left traditional characters as they were,
// are built again at start.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicatesOf } from '../support/duplicate-warnings.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, alias: { type: 'text' }, company: { type: 'text' } },
  duplicateRules: {
    sameAlias: { match: ['alias'], method: 'normalized', action: 'block' },
    sameCompany: { match: ['company'], method: 'normalized', action: 'warn' },
    alikeName: { match: ['name'], method: 'fuzzy', threshold: 0.9, action: 'warn' },
  },
};

async function scan(server: TestServer, rule: string): Promise<{ ids: string[]; score: number }[]> {
  const res = await server.get<any>('/api/quality/contact/duplicates');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.filter((c: any) => c.rule === rule).map((c: any) => ({ ids: [...c.ids].sort(), score: c.score }));
}

describe('traditional and simplified Chinese in duplicate rules', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const res = await server.put('/api/meta/entities/contact', contact);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }, 60_000);
  afterAll(async () => server?.close());

  it('a normalized rule blocks the other script at the rule’s field, in en and zh', async () => {
    const traditional = await server.post<any>('/api/data/contact', { name: 'A', alias: '張偉' });
    expect(traditional.status, JSON.stringify(traditional.body)).toBe(201);
    for (const [lang, text] of [['en', 'traditional or simplified Chinese'], ['zh', '繁简体']] as const) {
      const res = await server.post<any>('/api/data/contact', { name: 'B', alias: '张伟' }, { 'accept-language': lang });
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      const details = res.body.error.details as { path: string; message: string }[];
      expect(details).toEqual([expect.objectContaining({ path: '/alias', code: 'DUPLICATE:sameAlias', message: expect.stringContaining(text) })]);
      expect(JSON.stringify(details)).toContain(traditional.body.id);
    }
    const chen = await server.post<any>('/api/data/contact', { name: 'C', alias: '陈静' });
    expect(chen.status).toBe(201);
    expect((await server.post<any>('/api/data/contact', { name: 'D', alias: '陳 靜' })).status).toBe(409);
  });

  it('a normalized rule that warns keeps both scripts, and the scan lists them as one cluster', async () => {
    const hk = await server.post<any>('/api/data/contact', { name: 'E', company: '長江實業' });
    const cn = await server.post<any>('/api/data/contact', { name: 'F', company: '长江实业' });
    expect(cn.status).toBe(201);
    expect(duplicatesOf(cn.headers)).toContainEqual({ rule: 'sameCompany', ids: [hk.body.id] });
    expect(await scan(server, 'sameCompany')).toEqual([{ ids: [hk.body.id, cn.body.id].sort(), score: 1 }]);
  });

  it('a fuzzy rule warns of the other script on the write and the scan clusters them with score 1', async () => {
    const zhang = await server.post<any>('/api/data/contact', { name: '張偉' });
    const chen = await server.post<any>('/api/data/contact', { name: '陈静' });
    const zhang2 = await server.post<any>('/api/data/contact', { name: '张伟' });
    const chen2 = await server.post<any>('/api/data/contact', { name: '陳靜' });
    expect(duplicatesOf(zhang2.headers)).toContainEqual({ rule: 'alikeName', ids: [zhang.body.id] });
    expect(duplicatesOf(chen2.headers)).toContainEqual({ rule: 'alikeName', ids: [chen.body.id] });
    const clusters = await scan(server, 'alikeName');
    expect(clusters).toContainEqual({ ids: [zhang.body.id, zhang2.body.id].sort(), score: 1 });
    expect(clusters).toContainEqual({ ids: [chen.body.id, chen2.body.id].sort(), score: 1 });
    // Different names stay apart: one character of two differs.
    const other = await server.post<any>('/api/data/contact', { name: '張靜' });
    expect(duplicatesOf(other.headers).find((w) => w.rule === 'alikeName')).toBeUndefined();
  });
});

it('keys kept under the earlier folding are built again at start, and then match', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keys-hanfold-'));
  const before = await startTestServer({ dataDir });
  let stored: string;
  try {
    expect((await before.put<any>('/api/meta/entities/contact', contact)).status).toBeLessThan(300);
    const res = await before.post<any>('/api/data/contact', { name: '張偉', alias: '陳靜' });
    expect(res.status).toBe(201);
    stored = res.body.id;
    // As the earlier folding left them: traditional characters kept, and its version in the marker.
    const store = before.server.services.store;
    const entries = await store.find('_matchKeys', { filter: { kind: 'true' }, sort: [], limit: 100 });
    expect(entries.some((entry) => String(entry.data['key']).includes('张伟'))).toBe(true);
    await store.transaction(async (tx) => {
      for (const entry of entries) {
        const key = String(entry.data['key']);
        const earlier = entry.data['rule'] === '$built' ? JSON.stringify([2, ...(JSON.parse(key) as unknown[]).slice(1)]) : key.replaceAll('张伟', '張偉').replaceAll('陈静', '陳靜');
        await tx.replace('_matchKeys', { ...entry, version: entry.version + 1, data: { ...entry.data, key: earlier } }, entry.version);
      }
    });
  } finally {
    await before.close();
  }

  const after = await startTestServer({ dataDir });
  try {
    const blocked = await after.post<any>('/api/data/contact', { name: 'Someone', alias: '陈静' });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(409);
    expect(JSON.stringify(blocked.body.error.details)).toContain(stored);
    const alike = await after.post<any>('/api/data/contact', { name: '张伟' });
    expect(duplicatesOf(alike.headers)).toContainEqual({ rule: 'alikeName', ids: [stored] });
  } finally {
    await after.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
