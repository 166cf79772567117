// A field's default expression may read the clock the way a view's filter does: `$today()` (the
// clock's day, YYYY-MM-DD; `$today(n)` n days later) and `$now()`, evaluated when the record is
// created, from the server's injectable clock. `$today()` used to be refused on save as an unknown
// function, though views accept `$today` — and "today" is the commonest default a date field has.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;

const lesson = {
  kind: 'entity', name: 'dcLesson', label: { en: 'Lesson', zh: '课程' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    heldOn: { type: 'date', defaultExpression: '$today()' },
    dueOn: { type: 'date', defaultExpression: '$today(14)' },
    weekBefore: { type: 'date', defaultExpression: '$today(-7)' },
    noted: { type: 'text', defaultExpression: "'opened ' & $today()" },
    openedAt: { type: 'datetime', defaultExpression: '$now()' },
  },
};

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.close();
});

describe('clock functions in default expressions', () => {
  it('accepts $today() in a date field default, in the dry run and on apply', async () => {
    const dry = await t.post('/api/meta/validate', [lesson]);
    expect(dry.status).toBe(200);
    expect(dry.body, JSON.stringify(dry.body)).toMatchObject({ valid: true });
    const applied = await t.post('/api/meta/apply', [lesson]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  });

  it('fills the defaults from the clock at create time, and again from the clock of the next create', async () => {
    t.clock.set('2026-03-04T23:30:00.000Z');
    const first = await t.post('/api/data/dcLesson', { name: 'Piano 1' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ heldOn: '2026-03-04', dueOn: '2026-03-18', weekBefore: '2026-02-25', noted: 'opened 2026-03-04', openedAt: '2026-03-04T23:30:00.000Z' });

    t.clock.set('2026-12-31T08:00:00.000Z');
    const second = await t.post('/api/data/dcLesson', { name: 'Piano 2' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ heldOn: '2026-12-31', dueOn: '2027-01-14', weekBefore: '2026-12-24' });
    // The stored record holds the same, and an update leaves the day as it was.
    t.clock.set('2027-02-01T08:00:00.000Z');
    const patched = await t.patch(`/api/data/dcLesson/${second.body.id}`, { name: 'Piano 2b' }, { 'if-match': second.headers.get('etag')! });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.heldOn).toBe('2026-12-31');
  });

  it('a value given by the caller wins over the default', async () => {
    const given = await t.post('/api/data/dcLesson', { name: 'Violin', heldOn: '2025-01-02' });
    expect(given.status).toBe(201);
    expect(given.body.heldOn).toBe('2025-01-02');
  });

  it('the result type check knows $today() gives a date: a number field defaulting to it is refused in en and zh', async () => {
    const bad = { ...lesson, name: 'dcBad', fields: { name: { type: 'text' }, seats: { type: 'integer', defaultExpression: '$today()' } } };
    for (const [language, pattern] of [['en', /gives a date.*integer field/], ['zh-CN', /表达式的结果是日期/]] as const) {
      const refused = await t.post('/api/meta/apply', [bad], { 'accept-language': language });
      expect(refused.status).toBe(400);
      const detail = refused.body.error.details.find((d: { path: string }) => d.path.endsWith('/fields/seats/defaultExpression'));
      expect(detail, JSON.stringify(refused.body.error.details)).toMatchObject({ code: 'EXPR_RESULT_TYPE' });
      expect(detail.message).toMatch(pattern);
    }
  });

  it('$today with an offset that is not a whole number of days fails the create with 4xx at the field', async () => {
    const odd = { ...lesson, name: 'dcOdd', fields: { name: { type: 'text' }, heldOn: { type: 'date', defaultExpression: '$today(1.5)' } } };
    expect((await t.post('/api/meta/apply', [odd])).status).toBe(200);
    const created = await t.post('/api/data/dcOdd', { name: 'x' });
    expect(created.status, JSON.stringify(created.body)).toBeGreaterThanOrEqual(400);
    expect(created.status).toBeLessThan(500);
    expect(JSON.stringify(created.body.error)).toContain('/fields/heldOn/defaultExpression');
  });
});
