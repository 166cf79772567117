// A normalized duplicate rule over a workflow's state field keeps matching after a workflow change
// moves records: out of a removed state (stateMapping), or into the initial state of a workflow that
// starts driving the field. The records' keys move with them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const ticket = (states: string[], name = 'ticket') => ({
  kind: 'entity', name, label: name, titleField: 'title',
  fields: { title: { type: 'text', required: true }, stage: { type: 'picklist', options: Object.fromEntries(states.map((s) => [s, { label: s }])) } },
  duplicateRules: { sameTitleStage: { match: ['title', 'stage'], method: 'normalized', action: 'block' } },
});
const flow = (states: string[], stateMapping?: Record<string, string>, entity = 'ticket') => ({
  kind: 'workflow', name: `${entity}Flow`, entity, label: 'Tickets', field: 'stage',
  states: Object.fromEntries(states.map((s, i) => [s, { label: s, ...(i === 0 ? { initial: true } : {}) }])),
  transitions: { begin: { label: 'Begin', from: 'todo', to: 'doing' }, ...(states.includes('review') ? { submit: { label: 'Submit', from: 'doing', to: 'review' } } : {}) },
  ...(stateMapping ? { stateMapping } : {}),
});

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 120_000);
afterAll(async () => t?.close());

describe('duplicate keys follow records a workflow change moves', () => {
  it('records moved out of a removed state are found under their new state', async () => {
    // (The picklist's options are the states, so this change redefines a matched field: every key is built again.)
    const applied = await t.post<any>('/api/meta/apply', [ticket(['todo', 'doing', 'review']), flow(['todo', 'doing', 'review'])]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const printer = (await t.post<any>('/api/data/ticket', { title: 'Printer jam' })).body.id as string;
    expect((await t.post(`/api/data/ticket/${printer}/transitions/begin`, {})).status).toBe(200);
    expect((await t.post(`/api/data/ticket/${printer}/transitions/submit`, {})).status).toBe(200);
    const moved = await t.post<any>('/api/meta/apply', [ticket(['todo', 'doing']), flow(['todo', 'doing'], { review: 'doing' })]);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await t.get<any>(`/api/data/ticket/${printer}`)).body.stage).toBe('doing');
    // Another spelling of its title reaching "doing" is the same ticket twice: blocked, naming it.
    const again = (await t.post<any>('/api/data/ticket', { title: '  PRINTER   jam' })).body.id as string;
    const begin = await t.post<any>(`/api/data/ticket/${again}/transitions/begin`, {});
    expect(begin.status, JSON.stringify(begin.body)).toBe(409);
    expect(JSON.stringify(begin.body.error.details)).toContain(printer);
  });

  it('records given the initial state of a workflow that starts driving the field are found under it', async () => {
    // Without a workflow, a desk may have no stage (no key: it matches nothing). The field's
    // definition stays as it is when the workflow comes, so only the migration can key the record.
    expect((await t.post<any>('/api/meta/apply', [ticket(['todo', 'doing'], 'desk')])).status).toBe(200);
    const stapler = (await t.post<any>('/api/data/desk', { title: 'Stapler' })).body.id as string;
    expect((await t.get<any>(`/api/data/desk/${stapler}`)).body.stage ?? null).toBeNull();
    const driven = await t.post<any>('/api/meta/apply', [flow(['todo', 'doing'], undefined, 'desk')]);
    expect(driven.status, JSON.stringify(driven.body)).toBe(200);
    expect((await t.get<any>(`/api/data/desk/${stapler}`)).body.stage).toBe('todo');
    const twin = await t.post<any>('/api/data/desk', { title: 'stapler ' });
    expect(twin.status, JSON.stringify(twin.body)).toBe(409);
    expect(JSON.stringify(twin.body.error.details)).toContain(stapler);
  });
});
