// Acceptance: PUT a new entity and CRUD its records without a restart; change the entity and the
// next write is validated by the new revision; a dry run counts the records the change would
// invalidate; revisions say what changed, diffs show before and after, and revert restores.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, currentRevision, errorPaths, expectError, query } from './api-helpers.ts';

const leadV1 = {
  kind: 'entity',
  name: 'lead',
  label: { en: 'Lead', zh: '线索' },
  titleField: 'name',
  fields: {
    name: { type: 'text', required: true, maxLength: 80 },
    score: { type: 'integer', min: 0, max: 100 },
    email: { type: 'email' },
  },
};

// Revision 2: a new required field with a default, a tighter maximum and a new rule.
const leadV2 = {
  ...leadV1,
  fields: {
    ...leadV1.fields,
    score: { type: 'integer', min: 0, max: 60 },
    source: { type: 'picklist', required: true, default: 'web', options: { web: {}, referral: {} } },
  },
  rules: {
    highScoreNeedsEmail: {
      when: 'score >= 50 and $not($exists(email))',
      message: { en: 'A lead scoring 50 or more needs an e-mail', zh: '评分 50 以上的线索需要邮箱' },
      field: 'email',
    },
  },
};

// The same change without the default: every stored record lacks the new required field.
const leadV2WithoutDefault = { ...leadV2, fields: { ...leadV2.fields, source: { type: 'picklist', required: true, options: { web: {}, referral: {} } } } };

interface Seed {
  id: string;
  score: number;
  email?: string;
}


/** A revision's changes without their item-by-item diff (checked on its own), for toEqual on before/after. */
function withoutItemDiffs(changes: Record<string, unknown>[]): Record<string, unknown>[] {
  return changes.map(({ diff: _diff, ...rest }) => rest);
}

describe('metadata lifecycle over HTTP', () => {
  let server: TestServer;
  const seeds: Seed[] = [];
  // Under revision 2: score above 60, or at least 50 without an e-mail.
  const invalidUnderV2 = (s: Seed): boolean => s.score > 60 || (s.score >= 50 && s.email === undefined);

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('PUT a new entity, then create, read, update, list and delete its records with no restart', async () => {
    expect(await currentRevision(server)).toBe(0);
    const put = await server.put('/api/meta/entities/lead', leadV1);
    expect(put.status).toBe(201);
    expect(put.body).toEqual({ revision: 1, changes: [{ kind: 'entity', name: 'lead', action: 'create' }] });
    expect((await server.get('/api/meta/entities/lead')).body).toEqual(leadV1);
    expect(await currentRevision(server)).toBe(1);

    const created = await server.post('/api/data/lead', { name: 'Ada', score: 42 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Ada', score: 42, version: 1, revision: 1, createdAt: '2026-03-01T09:00:00.000Z' });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/data/lead/${created.body.id}`);
    const id: string = created.body.id;

    const read = await server.get(`/api/data/lead/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    server.clock.advance(60_000);
    const patched = await server.patch(`/api/data/lead/${id}`, { score: 43, email: 'ada@example.com' }, { 'if-match': '"1"' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ score: 43, email: 'ada@example.com', version: 2, updatedAt: '2026-03-01T09:01:00.000Z', createdAt: '2026-03-01T09:00:00.000Z' });
    expect(patched.headers.get('etag')).toBe('"2"');

    const listed = await server.get(`/api/data/lead${query({ filter: { score: { $gte: 43 } }, total: '1' })}`);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([id]);

    const history = await server.get(`/api/data/lead/${id}/history`);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
    expect(history.body.items[1].changes).toEqual({ score: { before: 42, after: 43 }, email: { after: 'ada@example.com' } });

    expect((await server.delete(`/api/data/lead/${id}`, { 'if-match': '"2"' })).status).toBe(204);
    expectError(await server.get(`/api/data/lead/${id}`), 404, 'NOT_FOUND');
  });

  it('seeds records under revision 1', async () => {
    for (let i = 0; i < 20; i++) {
      const values = { name: `Lead ${String(i).padStart(2, '0')}`, score: i * 5, ...(i % 2 === 0 ? { email: `lead${i}@example.com` } : {}) };
      const record = await createRecord(server, 'lead', values);
      expect(record.revision).toBe(1);
      seeds.push({ id: record.id, score: values.score, ...(values.email ? { email: values.email } : {}) });
    }
    expect(seeds.filter(invalidUnderV2)).toHaveLength(8);
  });

  it('POST /api/meta/validate counts exactly the records a change would invalidate, with examples, and applies nothing', async () => {
    const dryRun = await server.post('/api/meta/validate', leadV2);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ valid: true, baseRevision: 1, issues: [], changes: [{ kind: 'entity', name: 'lead', action: 'update' }] });
    const [impact] = dryRun.body.impact;
    const expectedInvalid = seeds.filter(invalidUnderV2);
    expect(impact).toMatchObject({ entity: 'lead', records: 20, invalid: expectedInvalid.length });
    expect(impact.examples.length).toBeGreaterThan(0);
    expect(impact.examples.length).toBeLessThanOrEqual(expectedInvalid.length);
    const invalidIds = new Set(expectedInvalid.map((s) => s.id));
    for (const example of impact.examples) {
      expect(invalidIds.has(example.id)).toBe(true);
      const seed = seeds.find((s) => s.id === example.id)!;
      const paths = example.issues.map((i: { path: string }) => i.path);
      expect(paths).toEqual(seed.score > 60 ? ['/score'] : ['/email']);
    }

    // Without the default, every stored record would lack the new required field.
    const strict = await server.post('/api/meta/validate', leadV2WithoutDefault);
    expect(strict.body.impact[0]).toMatchObject({ records: 20, invalid: 20 });
    for (const example of strict.body.impact[0].examples) expect(example.issues.map((i: { path: string }) => i.path)).toContain('/source');

    // A dry run changes nothing.
    expect(await currentRevision(server)).toBe(1);
    expect((await server.get('/api/meta/entities/lead')).body).toEqual(leadV1);
  });

  it('a dry run removing a field counts the stored records holding a value for it, and removes nothing', async () => {
    const { email: _email, ...fieldsWithoutEmail } = leadV1.fields;
    const dryRun = await server.post('/api/meta/validate', { ...leadV1, fields: fieldsWithoutEmail });
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    const withEmail = seeds.filter((s) => s.email !== undefined).length;
    expect(withEmail).toBeGreaterThan(0);
    expect(withEmail).toBeLessThan(seeds.length);
    expect(dryRun.body.impact[0]).toMatchObject({ entity: 'lead', records: seeds.length, removedFields: [{ field: 'email', records: withEmail }] });
    // A stored field redefined as a formula loses its stored values too (the formula's replace them on apply): counted before that.
    const asFormula = await server.post('/api/meta/validate', { ...leadV1, fields: { ...leadV1.fields, score: { type: 'formula', returns: 'number', expression: '0' } } });
    expect(asFormula.status, JSON.stringify(asFormula.body)).toBe(200);
    expect(asFormula.body.impact[0].removedFields).toEqual([{ field: 'score', records: seeds.filter((s) => s.score !== undefined).length }]);
    // A change that removes no field says nothing about removed fields.
    expect((await server.post('/api/meta/validate', leadV2)).body.impact[0].removedFields).toBeUndefined();
    expect(await currentRevision(server)).toBe(1);
    expect(Object.keys((await server.get('/api/meta/entities/lead')).body.fields)).toContain('email');
  });

  it('the next write after a change is validated by the new revision, and records store the revision they were validated against', async () => {
    const put = await server.put('/api/meta/entities/lead', leadV2);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ revision: 2, changes: [{ kind: 'entity', name: 'lead', action: 'update' }] });
    expect((await server.get('/api/meta/entities/lead')).body).toEqual(leadV2);
    expect(await currentRevision(server)).toBe(2);

    // The tighter maximum and the new rule apply at once.
    expect(errorPaths(await server.post('/api/data/lead', { name: 'Too high', score: 70, email: 'x@example.com' }))).toEqual(['/score']);
    const ruleBroken = await server.post('/api/data/lead', { name: 'No mail', score: 55 });
    expect(expectError(ruleBroken, 400, 'INVALID_RECORD')).toEqual([{ path: '/email', code: 'RULE:highScoreNeedsEmail', message: 'A lead scoring 50 or more needs an e-mail' }]);
    const inChinese = await server.post('/api/data/lead', { name: 'No mail', score: 55 }, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(expectError(inChinese, 400, 'INVALID_RECORD')[0]!.message).toBe('评分 50 以上的线索需要邮箱');
    // The new field: its default fills it in, and only its options are accepted.
    const fresh = await createRecord(server, 'lead', { name: 'Fresh', score: 10 });
    expect(fresh).toMatchObject({ source: 'web', revision: 2 });
    expect(errorPaths(await server.post('/api/data/lead', { name: 'Odd', source: 'fax' }))).toEqual(['/source']);

    // A record written under revision 1 keeps saying so until it is written again.
    const valid = seeds.find((s) => !invalidUnderV2(s))!;
    expect((await server.get(`/api/data/lead/${valid.id}`)).body).toMatchObject({ revision: 1, version: 1 });
    expect((await server.get(`/api/data/lead/${valid.id}`)).body.source).toBeUndefined();
    const rewritten = await server.patch(`/api/data/lead/${valid.id}`, { name: 'Rewritten' }, { 'if-match': '"1"' });
    expect(rewritten.status).toBe(200);
    expect(rewritten.body).toMatchObject({ revision: 2, version: 2, source: 'web', name: 'Rewritten' });
    const history = await server.get(`/api/data/lead/${valid.id}/history`);
    expect(history.body.items.map((e: { revision: number }) => e.revision)).toEqual([1, 2]);

    // A stored record the new revision refuses cannot be written again until it is fixed.
    const invalid = seeds.find((s) => s.score > 60)!;
    expect(errorPaths(await server.patch(`/api/data/lead/${invalid.id}`, { name: 'Touched' }))).toEqual(['/score']);
    expect((await server.get(`/api/data/lead/${invalid.id}`)).body).toMatchObject({ revision: 1, version: 1 });
    const fixed = await server.patch(`/api/data/lead/${invalid.id}`, { score: 60, email: 'fixed@example.com' });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ revision: 2, score: 60, source: 'web' });
  });

  it('the revisions list says what changed, and a diff shows before and after', async () => {
    const list = await server.get('/api/meta/revisions');
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(list.body.items[0]).toMatchObject({ revision: 2, at: '2026-03-01T09:01:00.000Z', message: 'update entity lead', changes: [{ kind: 'entity', name: 'lead', action: 'update' }] });
    expect(list.body.items[1]).toMatchObject({ revision: 1, message: 'create entity lead', changes: [{ kind: 'entity', name: 'lead', action: 'create' }] });
    expect(typeof list.body.items[0].by).toBe('string');

    const diff = await server.get('/api/meta/revisions/2/diff');
    expect(diff.status).toBe(200);
    expect(withoutItemDiffs(diff.body.changes)).toEqual([{ kind: 'entity', name: 'lead', action: 'update', label: leadV2.label, before: leadV1, after: leadV2 }]);
    expect(diff.body.changes[0].diff.length).toBeGreaterThan(0);
    const first = await server.get('/api/meta/revisions/1/diff');
    expect(withoutItemDiffs(first.body.changes)).toEqual([{ kind: 'entity', name: 'lead', action: 'create', label: leadV1.label, after: leadV1 }]);
    expectError(await server.get('/api/meta/revisions/99/diff'), 404, 'NOT_FOUND');
  });

  it('revert restores the previous revision as a new one, and writes are validated by it again', async () => {
    const reverted = await server.post('/api/meta/revisions/1/revert');
    expect(reverted.status).toBe(200);
    expect(reverted.body).toEqual({ revision: 3, changes: [{ kind: 'entity', name: 'lead', action: 'update' }] });
    expect(await currentRevision(server)).toBe(3);
    expect((await server.get('/api/meta/entities/lead')).body).toEqual(leadV1);

    // Revision 1's rules again: the old maximum, no rule, and no `source` field.
    const high = await createRecord(server, 'lead', { name: 'High again', score: 95 });
    expect(high.revision).toBe(3);
    expect(high.source).toBeUndefined();
    expect(errorPaths(await server.post('/api/data/lead', { name: 'x', score: 101 }))).toEqual(['/score']);
    expect(errorPaths(await server.post('/api/data/lead', { name: 'x', source: 'web' }))).toEqual(['/source']);

    const list = await server.get('/api/meta/revisions');
    expect(list.body.items[0]).toMatchObject({ revision: 3, changes: [{ kind: 'entity', name: 'lead', action: 'update' }] });
    const diff = await server.get('/api/meta/revisions/3/diff');
    expect(withoutItemDiffs(diff.body.changes)).toEqual([{ kind: 'entity', name: 'lead', action: 'update', label: leadV1.label, before: leadV2, after: leadV1 }]);

    // Reverting to revision 0 removes the entity; its address is then unknown.
    expect((await server.post('/api/meta/revisions/0/revert')).body).toMatchObject({ revision: 4, changes: [{ kind: 'entity', name: 'lead', action: 'delete' }] });
    expectError(await server.get('/api/data/lead'), 404, 'UNKNOWN_ENTITY');
    expectError(await server.post('/api/meta/revisions/42/revert'), 404, 'NOT_FOUND');
    expect(await currentRevision(server)).toBe(4);

    // The list goes a page at a time, newest first: `next` continues with before=, each revision once.
    const whole = (await server.get('/api/meta/revisions')).body;
    expect(whole.next).toBeNull();
    const walked: number[] = [];
    for (let before: number | null | undefined; before !== null; ) {
      const page = await server.get(`/api/meta/revisions?limit=3${before ? `&before=${before}` : ''}`);
      expect(page.status).toBe(200);
      walked.push(...page.body.items.map((r: { revision: number }) => r.revision));
      before = page.body.next;
    }
    expect(walked).toEqual(whole.items.map((r: { revision: number }) => r.revision));
    expect(walked).toEqual([4, 3, 2, 1]);
    for (const [query, path] of [['limit=0', '/query/limit'], ['before=x', '/query/before'], ['after=2', '/query/after']] as const) {
      expect(errorPaths(await server.get(`/api/meta/revisions?${query}`)), query).toEqual([path]);
    }
  });
});

// A removed field's values go with it: a field added later under the same name (of another type)
// starts empty instead of showing them again; the audit trail keeps them, and the dry run counted them.
describe('removing a field removes its stored values', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const deal = {
    kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '商机' }, titleField: 'name',
    fields: {
      name: { type: 'text', required: true },
      note: { type: 'text' },
      amount: { type: 'number' },
      doubled: { type: 'formula', returns: 'number', expression: 'amount * 2' },
    },
  };
  // `note` removed (a stored field) and `doubled` removed (a computed one, whose values are stored too).
  const { note: _note, doubled: _doubled, ...kept } = deal.fields;
  const withoutThem = { ...deal, fields: kept };
  const readdedOtherTypes = { ...deal, fields: { ...kept, note: { type: 'number' }, doubled: { type: 'text' } } };

  it('apply takes the values out of every record in the same revision; re-added with another type, the fields read empty; the trail keeps the old values', async () => {
    await applyMetadata(server, [deal]);
    const seeds: { id: string; note?: string; amount?: number }[] = [];
    for (let i = 0; i < 24; i++) {
      const values = { name: `D${i}`, ...(i % 3 !== 0 ? { note: `note ${i}` } : {}), ...(i % 4 !== 0 ? { amount: i * 10 } : {}) };
      const record = await createRecord(server, 'deal', values);
      seeds.push({ id: record.id, ...values });
    }
    const holdingNote = seeds.filter((s) => s.note !== undefined);
    const touched = new Set(seeds.filter((s) => s.note !== undefined || s.amount !== undefined).map((s) => s.id));
    expect(holdingNote.length).toBeGreaterThan(0);
    expect(touched.size).toBeLessThan(seeds.length);

    const dryRun = await server.post('/api/meta/validate', withoutThem);
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    // Counted: the stored field's values an admin loses; the formula's are derived, not counted.
    expect(dryRun.body.impact[0].removedFields).toEqual([{ field: 'note', records: holdingNote.length }]);
    const revision = await currentRevision(server);
    const put = await server.put('/api/meta/entities/deal', withoutThem);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.revision).toBe(revision + 1);

    // Rewritten as the rename rewrites: a new version (ETag) stamped with the revision, only where a value went.
    for (const seed of seeds) {
      const read = (await server.get(`/api/data/deal/${seed.id}`)).body;
      expect(read, seed.id).toMatchObject(touched.has(seed.id) ? { version: 2, revision: revision + 1 } : { version: 1, revision });
    }
    const rewrittenWithNote = seeds.filter((s) => s.note !== undefined && touched.has(s.id));
    expect(rewrittenWithNote).toHaveLength(dryRun.body.impact[0].removedFields[0].records);

    expect((await server.put('/api/meta/entities/deal', readdedOtherTypes)).status).toBe(200);
    for (const seed of seeds) {
      const read = (await server.get(`/api/data/deal/${seed.id}`)).body;
      expect(read.note, seed.id).toBeUndefined();
      expect(read.doubled, seed.id).toBeUndefined();
      expect(read.amount).toBe(seed.amount);
    }
    for (const field of ['note', 'doubled']) {
      const listed = await server.get(`/api/data/deal${query({ filter: { [field]: { $exists: true } }, total: '1' })}`);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      expect(listed.body.total, field).toBe(0);
    }
    // New values of the new types are taken as usual.
    expect((await createRecord(server, 'deal', { name: 'New', note: 7, doubled: 'twice' })).note).toBe(7);

    // The audit trail keeps what was written, and the removal wrote no entry per record.
    for (const seed of holdingNote) {
      const history = (await server.get(`/api/data/deal/${seed.id}/history`)).body.items as { action: string; changes: Record<string, { after?: unknown }> }[];
      expect(history.map((e) => e.action)).toEqual(['create']);
      expect(history[0]!.changes['note']).toEqual({ after: seed.note });
    }
  });
});

// Data folders older than the removal above still hold values of fields removed back then: a field
// added under such a name starts empty all the same, and a field renamed onto it keeps its own values.
describe('values left under a field name by an older removal', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const lead = (fields: Record<string, unknown>) => ({ kind: 'entity', name: 'lead', label: { en: 'Lead', zh: '线索' }, titleField: 'name', fields: { name: { type: 'text', required: true }, ...fields } });
  /** What a removal before the fix left: the value stays in the stored document (written here through the store port, as that code did). */
  const leaveStale = async (id: string, values: Record<string, unknown>) => {
    const store = server.server.store;
    await store.transaction(async (tx) => {
      const row = (await tx.get('lead', id))!;
      expect(await tx.replace('lead', { ...row, data: { ...row.data, ...values } }, row.version)).toBe(true);
    });
  };

  it('a field added under the name starts empty: the dry run finds no record the stale values would make invalid, apply leaves none', async () => {
    await applyMetadata(server, [lead({ source: { type: 'text' } })]);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await createRecord(server, 'lead', { name: `L${i}`, source: `web ${i}` })).id);
    // Stale values of another type than the field about to be added (a number), on some of the leads.
    const stale = ids.filter((_, i) => i % 2 === 0);
    for (const id of stale) await leaveStale(id, { score: 'high' });
    const withScore = lead({ source: { type: 'text' }, score: { type: 'number', min: 0 } });
    const dry = await server.post('/api/meta/validate', withScore);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ valid: true });
    expect(dry.body.impact.find((i: { entity: string }) => i.entity === 'lead')).toMatchObject({ records: ids.length, invalid: 0 });
    // The dry run changed nothing: the stale values are still stored.
    expect((await server.server.store.get('lead', stale[0]!))!.data['score']).toBe('high');
    expect((await server.put('/api/meta/entities/lead', withScore)).status).toBe(200);
    for (const id of ids) expect((await server.get(`/api/data/lead/${id}`)).body.score, id).toBeUndefined();
    const listed = await server.get(`/api/data/lead${query({ filter: { score: { $exists: true } }, total: '1' })}`);
    expect(listed.body.total).toBe(0);
  });

  it('a field renamed onto such a name keeps its own values, not the stale ones', async () => {
    const ids = ((await server.get('/api/data/lead?limit=100')).body.items as { id: string; source: string }[]);
    for (const { id } of ids) await leaveStale(id, { origin: 'stale' });
    const res = await server.post('/api/meta/refactor/rename', { entity: 'lead', field: 'source', to: 'origin', apply: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const { id, source } of ids) expect((await server.get(`/api/data/lead/${id}`)).body.origin, id).toBe(source);
  });
});
