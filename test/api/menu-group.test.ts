// An entity's `menuGroup` places it in the studio's menu: a label of its own makes a group (shared by
// every entity naming it, in any language), the label of an installed template module's group joins
// that group, and the views over the entity that no module places follow it. Without one, an
// entity no module lists sits under "Other" as before — where every admin-made entity used to sit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('a menuGroup that is no label is refused at its pointer', async () => {
    const res = await t.post('/api/meta/apply', [entity('mgBad', 42)]);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('/entity/mgBad/menuGroup');
  });
});
