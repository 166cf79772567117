// Keys kept by an earlier version (a fuzzy rule's words, without the whole-name key) are built
// anew when the server starts: a lookup would otherwise miss every record stored before.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';

const supplier = {
  kind: 'entity', name: 'supplier', label: 'Supplier', titleField: 'name',
  fields: { name: { type: 'text', required: true } },
  duplicateRules: { alike: { match: ['name'], method: 'fuzzy', action: 'warn' } },
};

it('builds again at start the keys an earlier version kept', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keys-version-'));
  const before = await startTestServer({ dataDir });
  expect((await before.put<any>('/api/meta/entities/supplier', supplier)).status).toBeLessThan(300);
  const stored = await before.post<any>('/api/data/supplier', { name: 'Northwind Trading' });
  expect(stored.status).toBe(201);
  // As the earlier version left them: no whole-name key, and its marker naming the rule alone.
  const store = before.server.services.store;
  const entries = await store.find('_matchKeys', { filter: { kind: 'true' }, sort: [], limit: 100 });
  const whole = entries.filter((entry) => String(entry.data['key']).includes('\u0002'));
  expect(whole).toHaveLength(1);
  const built = entries.find((entry) => entry.data['rule'] === '$built')!;
  const earlier = JSON.stringify([['alike', 'fuzzy', 0.85, [['name', supplier.fields.name, null]]]]);
  expect(String(built.data['key'])).toContain(earlier.slice(1, -1));
  await store.transaction(async (tx) => {
    await tx.delete('_matchKeys', whole[0]!.id);
    await tx.replace('_matchKeys', { ...built, version: built.version + 1, data: { ...built.data, key: earlier } }, built.version);
  });
  await before.close();

  const after = await startTestServer({ dataDir });
  try {
    const rebuilt = await after.server.services.store.find('_matchKeys', { filter: { kind: 'true' }, sort: [], limit: 100 });
    expect(rebuilt.filter((entry) => entry.data['recordId'] === stored.body.id && String(entry.data['key']).includes('\u0002'))).toHaveLength(1);
  } finally {
    await after.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
