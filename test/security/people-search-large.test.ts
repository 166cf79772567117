// The directory's search past the number of matches it reads whole: the store sorts, named users by
// name and unnamed ones by e-mail, merged — the same first page as reading every match and sorting.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityCollections } from '../../engine/security/collections.ts';
import { insertUser, searchActiveUsers, updateUser } from '../../engine/security/user-store.ts';
import { openSqliteStore, type SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';

let dir: string;
let store: SqliteStore;
const now = new Date('2026-01-01T00:00:00Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'people-search-'));
  store = await openSqliteStore({ directory: dir });
  for (const spec of securityCollections) await store.syncCollection(spec);
  // E-mail order differs from name order on purpose; some have no name; some are disabled.
  const people: [string | undefined, string, boolean][] = [
    ['Yara Quinn', 'a.yq@dir.test', false], ['Bruno Lane', 'b.bl@dir.test', false], ['Abel Moss', 'z.am@dir.test', false],
    [undefined, 'c.noname@dir.test', false], ['Carla Ng', 'd.cn@dir.test', true], ['Dana Orr', 'e.do@dir.test', false],
    [undefined, 'aa.first@dir.test', false], ['Ezra Pike', 'f.ep@dir.test', false], ['Abby Lane', 'y.al@dir.test', false],
  ];
  for (const [name, email, disabled] of people) {
    const user = await insertUser(store, { email, ...(name ? { name } : {}), passwordHash: 'x', roles: [], teams: [], admin: false, disabled: false }, now);
    if (disabled) await updateUser(store, user!.id, { disabled: true }, { now, endSessions: false });
  }
});

afterAll(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('people search beyond what it reads whole', () => {
  it.each([[[]], [['lane']], [['dir.test']], [['a']]] as const)('words %j: the first page equals the exact answer', async (words) => {
    for (const limit of [1, 3, 20]) {
      const exact = (await searchActiveUsers(store, words, limit)).map((u) => u.email);
      const bounded = (await searchActiveUsers(store, words, limit, 2)).map((u) => u.email);
      expect(bounded).toEqual(exact);
    }
  });

  it('leaves disabled users out on both paths', async () => {
    expect((await searchActiveUsers(store, ['carla'], 20, 0)).map((u) => u.email)).toEqual([]);
    expect((await searchActiveUsers(store, [], 20, 1)).map((u) => u.email)).not.toContain('d.cn@dir.test');
    expect((await searchActiveUsers(store, [], 3, 1)).map((u) => u.name ?? u.email)).toEqual(['aa.first@dir.test', 'Abby Lane', 'Abel Moss']);
  });
});
