// Acceptance over real HTTP: a workflow change that removes a state records sit in is refused —
// naming the state and counting the records — unless stateMapping sends them to a current state;
// then they move in the same revision, with audit entries and state history.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const options = (states: string[]) => Object.fromEntries(states.map((s) => [s, { label: s }]));

function entity(states: string[]) {
  return { kind: 'entity', name: 'job', label: 'Job', fields: { title: { type: 'text', required: true }, status: { type: 'picklist', options: options(states) } } };
}

function workflow(states: string[], extra: Record<string, unknown> = {}) {
  const all: Record<string, unknown> = {
    todo: { label: 'To do', initial: true },
    doing: { label: 'Doing' },
    review: { label: 'Review' },
    archived: { label: 'Archived' },
    done: { label: 'Done', final: true },
  };
  const transitions: Record<string, unknown> = {
    begin: { label: 'Begin', from: 'todo', to: 'doing' },
    submit: { label: 'Submit', from: 'doing', to: 'review' },
    finish: { label: 'Finish', from: states.includes('review') ? 'review' : 'doing', to: 'done' },
  };
  if (!states.includes('review')) delete transitions['submit'];
  return {
    kind: 'workflow', name: 'jobFlow', entity: 'job', label: 'Jobs', field: 'status',
    states: Object.fromEntries(states.map((s) => [s, all[s]])),
    transitions,
    triggers: { stuck: { on: 'inState', state: 'doing', after: '24h', actions: ['nudge'] } },
    actions: { nudge: { type: 'notify', to: { fields: ['owner'] }, subject: 'Job {{ title }} is stuck', channels: ['inbox'] } },
    ...extra,
  };
}

let t: TestServer;
const ids: string[] = [];

beforeAll(async () => {
  t = await startTestServer();
  const all = ['todo', 'doing', 'review', 'archived', 'done'];
  const applied = await t.post('/api/meta/apply', [entity(all), workflow(all)]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  for (const title of ['a', 'b', 'c']) ids.push((await t.post('/api/data/job', { title })).body.id);
  for (const id of ids.slice(0, 2)) {
    expect((await t.post(`/api/data/job/${id}/transitions/begin`, {})).status).toBe(200);
    expect((await t.post(`/api/data/job/${id}/transitions/submit`, {})).status).toBe(200);
  }
});

afterAll(async () => {
  await t?.close();
});

const revision = async (): Promise<number> => (await t.get('/api/health')).body.revision;
const statuses = async (): Promise<string[]> => Promise.all(ids.map(async (id) => (await t.get(`/api/data/job/${id}`)).body.status));

describe('removing workflow states', () => {
  it('an unoccupied state goes without a mapping', async () => {
    const states = ['todo', 'doing', 'review', 'done'];
    const res = await t.post('/api/meta/apply', [entity(states), workflow(states)]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('an occupied state is refused without a mapping: the state is named and its records counted; nothing changes', async () => {
    const before = await revision();
    const states = ['todo', 'doing', 'done'];
    const res = await t.post('/api/meta/apply', [entity(states), workflow(states)]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_METADATA');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: '/workflow/jobFlow/stateMapping/review', code: 'WF_STATE_IN_USE', message: expect.stringContaining('2 job record(s) are in state "review"') }),
    ]);
    expect(await revision()).toBe(before);
    expect(await statuses()).toEqual(['review', 'review', 'todo']);
    expect((await t.get('/api/meta/workflows/jobFlow')).body.states).toHaveProperty('review');
    // The dry run says the same, and changes nothing either.
    const dry = await t.post('/api/meta/validate', { documents: [entity(states), workflow(states)] });
    expect(dry.body.valid).toBe(false);
    expect(dry.body.issues).toEqual([expect.objectContaining({ kind: 'workflow', name: 'jobFlow', path: '/stateMapping/review', code: 'WF_STATE_IN_USE', message: expect.stringContaining('2 job record(s)') })]);
    const mapped = await t.post('/api/meta/validate', { documents: [entity(states), workflow(states, { stateMapping: { review: 'doing' } })] });
    expect(mapped.body).toMatchObject({ valid: true, issues: [] });
    // …and says which records the mapping moves, counted from the stored states.
    const inReview = (await statuses()).filter((s) => s === 'review').length;
    expect(mapped.body.impact.find((i: any) => i.entity === 'job').stateMoves).toEqual([{ entity: 'job', workflow: 'jobFlow', field: 'status', from: 'review', to: 'doing', records: inReview }]);
    expect(await statuses()).toEqual(['review', 'review', 'todo']);
    expect(await revision()).toBe(before);
  });

  it('a mapping of a state that still exists, or onto one that does not, is refused', async () => {
    const states = ['todo', 'doing', 'done'];
    const res = await t.post('/api/meta/apply', [entity(states), workflow(states, { stateMapping: { review: 'nowhere', doing: 'todo' } })]);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.message)).toEqual(expect.arrayContaining([
      expect.stringContaining('maps to "nowhere", which is not a state'),
      expect.stringContaining('"doing" is still a state'),
    ]));
  });

  it('with a mapping it is applied in the same revision: records moved, audited, their stays recorded', async () => {
    const before = await revision();
    const states = ['todo', 'doing', 'done'];
    const res = await t.post('/api/meta/apply', [entity(states), workflow(states, { stateMapping: { review: 'doing' } })]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.revision).toBe(before + 1);
    expect(await statuses()).toEqual(['doing', 'doing', 'todo']);
    const moved = (await t.get(`/api/data/job/${ids[0]}`)).body;
    expect(moved.revision).toBe(before + 1);
    const history = (await t.get(`/api/data/job/${ids[0]}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'workflow.stateMapping', revision: before + 1, changes: { status: { before: 'review', after: 'doing' } }, details: { workflow: 'jobFlow', from: 'review', to: 'doing' } });
    const stays = (await t.get(`/api/data/job/${ids[0]}/state-history`)).body.items[0].stays;
    expect(stays.map((s: any) => [s.state, s.via ?? null])).toEqual([['todo', null], ['doing', 'begin'], ['review', 'submit'], ['doing', 'stateMapping']]);
    const listing = (await t.get(`/api/data/job/${ids[0]}/transitions`)).body.transitions;
    expect(listing.map((x: any) => [x.name, x.allowed])).toEqual([['finish', true]]);
    expect((await t.get(`/api/data/job/${ids[2]}/history`)).body.items.map((e: any) => e.action)).toEqual(['create']);
    // The SLA clock of "doing" starts for the moved records with the move.
    t.clock.advance(24 * 3_600_000);
    await t.post('/api/scheduler/tick');
    const stuck = (await t.get('/api/notifications')).body.items.filter((n: any) => n.subject.endsWith('is stuck'));
    expect(stuck.map((n: any) => n.recordId).sort()).toEqual(ids.slice(0, 2).sort());
  });
});

describe('adding a workflow to an entity that has records', () => {
  it('puts the records without a state in the initial state, in the same revision', async () => {
    const lead = (withStage: boolean) => ({
      kind: 'entity', name: 'lead', label: 'Lead',
      fields: { name: { type: 'text' }, ...(withStage ? { stage: { type: 'picklist', options: { fresh: { label: 'Fresh' }, won: { label: 'Won' } } } } : {}) },
    });
    expect((await t.put('/api/meta/entities/lead', lead(false))).status).toBe(201);
    const id = (await t.post('/api/data/lead', { name: 'Old lead' })).body.id;
    await t.post('/api/data/lead', { name: 'Another old lead' });
    const change = [
      lead(true),
      { kind: 'workflow', name: 'leadFlow', entity: 'lead', label: 'Leads', field: 'stage', states: { fresh: { label: 'Fresh', initial: true }, won: { label: 'Won', final: true } }, transitions: { win: { label: 'Win', from: 'fresh', to: 'won' } } },
    ];
    // The dry run says so before: every stored lead (none has a stage) starts in "fresh"; nothing changes yet.
    const leads = (await t.get('/api/data/lead?limit=100')).body.items as { stage?: string }[];
    const dry = await t.post('/api/meta/validate', { documents: change });
    expect(dry.body.valid).toBe(true);
    expect(dry.body.impact.find((i: any) => i.entity === 'lead').stateMoves).toEqual([{ entity: 'lead', workflow: 'leadFlow', field: 'stage', to: 'fresh', records: leads.filter((l) => l.stage === undefined).length }]);
    expect((await t.get(`/api/data/lead/${id}`)).body.stage).toBeUndefined();
    const res = await t.post('/api/meta/apply', change);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await t.get(`/api/data/lead/${id}`)).body.stage).toBe('fresh');
    expect((await t.get(`/api/data/lead/${id}/history`)).body.items.at(-1)).toMatchObject({ action: 'workflow.initialState', changes: { stage: { after: 'fresh' } } });
    expect((await t.post(`/api/data/lead/${id}/transitions/win`, {})).body.record.stage).toBe('won');
  });
});
