// An entity's `menuGroup` places it in the studio's menu: a label of its own makes a group (shared by
// every entity naming it, in any language), the label of an installed template module's group joins
// that group, and the views over the entity that no module places follow it. Without one, an
// entity no module lists sits under "Other" as before — where every admin-made entity used to sit.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteStoredEntities } from '../support/stored-metadata.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;

interface Group { key: string; label: unknown; entities: string[]; views: string[]; dashboards: string[] }
const groups = async (): Promise<Group[]> => {
  const res = await t.get('/api/studio/navigation');
  expect(res.status).toBe(200);
  return res.body.groups as Group[];
};
const entity = (name: string, menuGroup?: unknown) => ({
  kind: 'entity', name, label: { en: name, zh: name }, titleField: 'title', fields: { title: { type: 'text' } }, ...(menuGroup === undefined ? {} : { menuGroup }),
});

beforeAll(async () => {
  t = await startTestServer();
  const installed = await t.post('/api/templates/services/install', { sampleData: false, modules: ['clients'] });
  expect(installed.status, JSON.stringify(installed.body).slice(0, 300)).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('menu groups of entities', () => {
  it('an entity without menuGroup sits under Other', async () => {
    expect((await t.post('/api/meta/apply', [entity('mgLoose')])).status).toBe(200);
    const other = (await groups()).find((g) => g.key === 'other');
    expect(other?.entities).toContain('mgLoose');
  });

  it('entities naming the same label share one group of their own, before Other; a view over one follows it', async () => {
    const applied = await t.post('/api/meta/apply', [
      entity('mgCourse', { en: 'Teaching', zh: '教学' }),
      entity('mgTeacher', 'teaching'),
      { kind: 'view', name: 'mgCourses', entity: 'mgCourse', type: 'list', label: { en: 'Courses' }, columns: { title: { order: 10 } } },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const all = await groups();
    const teaching = all.filter((g) => g.entities.includes('mgCourse') || g.entities.includes('mgTeacher'));
    expect(teaching).toHaveLength(1);
    expect(teaching[0]).toMatchObject({ key: 'group/teaching', label: { en: 'Teaching', zh: '教学' }, entities: ['mgCourse', 'mgTeacher'], views: ['mgCourses'] });
    expect(all.map((g) => g.key).indexOf('group/teaching')).toBeLessThan(all.map((g) => g.key).indexOf('other'));
    expect(all.find((g) => g.key === 'other')?.views ?? []).not.toContain('mgCourses');
  });

  it('the label of a template module joins its group (in either language); an admin\'s menuGroup on a template entity moves it', async () => {
    const clients = (await groups()).find((g) => g.key === 'services/clients')!;
    expect(clients.entities).toContain('contact');
    const contact = (await t.get('/api/meta/entities/contact')).body;
    const applied = await t.post('/api/meta/apply', [entity('mgPartner', '客户'), { ...contact, menuGroup: { en: 'Teaching', zh: '教学' } }]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const all = await groups();
    expect(all.find((g) => g.key === 'services/clients')!.entities).toEqual(expect.arrayContaining(['account', 'mgPartner']));
    expect(all.find((g) => g.key === 'services/clients')!.entities).not.toContain('contact');
    expect(all.find((g) => g.key === 'group/teaching')!.entities).toContain('contact');
  });

  it.each([
    ['a string', '  ', '/entity/mgBlank/menuGroup'],
    ['one language of a label', { en: ' \t', zh: '教学' }, '/entity/mgBlank/menuGroup/en'],
  ])('a menuGroup of white space alone (%s) is refused at its pointer, in the caller\'s language, and nothing is applied', async (_case, menuGroup, pointer) => {
    const before = (await t.get('/api/meta/revisions?limit=1')).body.items[0].revision;
    const res = await t.post('/api/meta/apply', [entity('mgBlank', menuGroup)]);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: pointer, message: 'must not be blank' }));
    const zh = await t.post('/api/meta/apply', [entity('mgBlank', menuGroup)], { 'accept-language': 'zh-CN' });
    expect(zh.body.error.details).toContainEqual(expect.objectContaining({ path: pointer, message: '不能只含空白' }));
    expect((await t.get('/api/meta/revisions?limit=1')).body.items[0].revision).toBe(before);
    expect((await t.get('/api/meta/entities/mgBlank')).status).toBe(404);
  });

  it('a menuGroup that is no label is refused at its pointer', async () => {
    const res = await t.post('/api/meta/apply', [entity('mgBad', 42)]);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('/entity/mgBad/menuGroup');
  });
});

describe('a blank menuGroup stored before the schema refused it', () => {
  let dataDir = '';
  let old: TestServer | undefined;
  afterAll(async () => {
    await old?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('names no group: the entity sits under Other and the menu has no group without a name', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-menu-group-'));
    const first = await startTestServer({ dataDir });
    expect((await first.post('/api/meta/apply', [entity('mgOld', 'Placeholder'), entity('mgOlder', { en: 'Old group', zh: '旧分组' }), entity('mgHalf', { en: 'Old group', zh: '旧分组' })])).status).toBe(200);
    // As an older version stored them: the labels blanked in the store itself, past today's schema.
    await overwriteStoredEntities(first, { mgOld: { menuGroup: '  ' }, mgOlder: { menuGroup: { en: ' ', zh: '\u3000' } }, mgHalf: { menuGroup: { en: ' ', zh: '旧分组' } } });
    await first.close();
    old = await startTestServer({ dataDir });
    expect((await old.get('/api/meta/entities/mgOld')).body.menuGroup).toBe('  ');
    const all = (await old.get('/api/studio/navigation')).body.groups as Group[];
    expect(all.find((g) => g.key === 'other')?.entities).toEqual(expect.arrayContaining(['mgOld', 'mgOlder']));
    expect(all.filter((g) => g.entities.includes('mgOld') || g.entities.includes('mgOlder')).map((g) => g.key)).toEqual(['other']);
    expect(all.map((g) => g.key)).not.toContain('group/');
    // Blank in one language only: the group keeps the name it has, with no blank one beside it.
    expect(all.find((g) => g.entities.includes('mgHalf'))?.label).toEqual({ zh: '旧分组' });
  });
});
