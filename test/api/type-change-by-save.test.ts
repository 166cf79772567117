// A field's type changed by a plain save (PUT of the entity) while records hold values of the old type:
// before, the save landed and left "abc" in what had become a number field — read back as text, missed
// by the field's filters, and every later write of the record refused for a field its user had not
// touched. Now the save and its dry run refuse it (META_TYPE_CHANGE at /fields/<field>/type, in the
// caller's language) and point to the type-change refactoring, which converts the values.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { createRecord, currentRevision, query } from './api-helpers.ts';

const entity = (scoreType: Record<string, unknown>) => ({
  kind: 'entity', name: 'gadget', label: { en: 'Gadget', zh: '小工具' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, score: scoreType, note: { type: 'text' } },
});

describe('a type change by a plain save', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.put('/api/meta/entities/gadget', entity({ type: 'text' }))).status).toBe(201);
    for (const [name, score] of [['word', 'abc'], ['digits', '12'], ['blank', undefined]] as const) {
      ids[name] = (await createRecord(server, 'gadget', { name, ...(score !== undefined ? { score } : {}), note: 'first' })).id;
    }
  });
  afterAll(async () => server?.close());

  it('is refused while records hold values the new type does not take, in the dry run and the save alike', async () => {
    const revision = await currentRevision(server);
    const dry = await server.post('/api/meta/validate', entity({ type: 'number' }));
    expect(dry.status).toBe(200);
    expect(dry.body.valid).toBe(false);
    const [issue] = dry.body.issues;
    expect(issue).toMatchObject({ kind: 'entity', name: 'gadget', path: '/fields/score/type', code: 'META_TYPE_CHANGE' });
    // Both text values are no numbers (a number field takes 12, not "12"); the record without one is not counted.
    expect(issue.message).toMatch(/^2 stored record\(s\) hold a value that is no number/);
    expect(issue.message).toContain('/api/meta/refactor/change-type');

    const put = await server.put('/api/meta/entities/gadget', entity({ type: 'number' }));
    expect(put.status).toBe(400);
    expect(put.body.error.details).toEqual([expect.objectContaining({ path: '/entity/gadget/fields/score/type', code: 'META_TYPE_CHANGE' })]);
    expect(await currentRevision(server)).toBe(revision);
    expect((await server.get(`/api/data/gadget/${ids['word']}`)).body.score).toBe('abc');

    const zh = await server.put('/api/meta/entities/gadget', entity({ type: 'date' }), { 'Accept-Language': 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details[0].message).toMatch(/^2 条已存记录的值不是 date 类型/);
    expect(zh.body.error.details[0].message).not.toMatch(/stored record/);
  });

  it('goes through when every stored value fits the new type, and the refactoring converts the rest', async () => {
    // A text area takes every text: nothing is stranded.
    const wider = await server.put('/api/meta/entities/gadget', entity({ type: 'textarea' }));
    expect(wider.status, JSON.stringify(wider.body)).toBe(200);

    const converted = await server.post('/api/meta/refactor/change-type', { entity: 'gadget', field: 'score', definition: { type: 'number' }, apply: true });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect((await server.get(`/api/data/gadget/${ids['digits']}`)).body.score).toBe(12);
    expect((await server.get(`/api/data/gadget/${ids['word']}`)).body.score).toBeUndefined();
    const above = await server.get(`/api/data/gadget${query({ filter: { score: { $gt: 5 } } })}`);
    expect(above.body.items.map((r: { id: string }) => r.id)).toEqual([ids['digits']]);

    // Numbers are texts no more: saving the field back as text strands 12, and is refused; as a currency it fits.
    expect((await server.put('/api/meta/entities/gadget', entity({ type: 'text' }))).status).toBe(400);
    const currency = await server.put('/api/meta/entities/gadget', entity({ type: 'currency' }));
    expect(currency.status, JSON.stringify(currency.body)).toBe(200);
    // A record is written again without tripping over the field.
    expect((await server.patch(`/api/data/gadget/${ids['digits']}`, { note: 'second' }, { 'If-Match': '*' })).status).toBe(200);
  });

  it('has the other way out the refusal names: the field removed (its values with it), then added anew', async () => {
    expect((await server.put('/api/meta/entities/gadget', entity({ type: 'date' }))).status).toBe(400);
    const { score: _score, ...withoutScore } = entity({ type: 'currency' }).fields;
    expect((await server.put('/api/meta/entities/gadget', { ...entity({ type: 'currency' }), fields: withoutScore })).status).toBe(200);
    const added = await server.put('/api/meta/entities/gadget', entity({ type: 'date' }));
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect((await server.get(`/api/data/gadget/${ids['digits']}`)).body.score).toBeUndefined();
    expect((await createRecord(server, 'gadget', { name: 'dated', score: '2026-12-07' })).score).toBe('2026-12-07');
  });
});
