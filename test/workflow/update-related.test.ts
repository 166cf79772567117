// Issue 10, point 5: workflow actions that change a related record — set fields on the record a
// lookup points at, and take a transition of its own workflow — over real HTTP, with the cases
// where there is nothing to change and the refusals on save.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, errorPaths, expectError } from '../api/api-helpers.ts';

const t = (en: string) => ({ en, zh: en });
const metadata = [
  {
    kind: 'entity', name: 'serviceCase', label: t('Case'), titleField: 'subject',
    fields: {
      subject: { type: 'text', required: true }, lastActivity: { type: 'text' }, tasksDone: { type: 'integer' },
      status: { type: 'picklist', options: { open: { label: t('Open') }, solved: { label: t('Solved') } } },
      shout: { type: 'formula', returns: 'text', expression: '$uppercase(subject)' },
    },
  },
  {
    kind: 'workflow', name: 'caseFlow', entity: 'serviceCase', field: 'status', label: t('Case flow'),
    states: { open: { initial: true, label: t('Open') }, solved: { final: true, label: t('Solved') } },
    transitions: { solve: { from: 'open', to: 'solved', label: t('Solve') } },
  },
  { kind: 'entity', name: 'caseTask', label: t('Task'), titleField: 'title', fields: { title: { type: 'text', required: true }, done: { type: 'boolean' }, last: { type: 'boolean' }, serviceCase: { type: 'lookup', to: 'serviceCase' } } },
  {
    kind: 'workflow', name: 'taskAutomation', entity: 'caseTask', label: t('Task automation'),
    triggers: { onDone: { on: 'update', when: 'done = true', actions: ['touchCase', 'solveCase'] } },
    actions: {
      touchCase: { type: 'updateRelated', via: 'serviceCase', values: { lastActivity: "'Done: ' & title" } },
      solveCase: { type: 'updateRelated', via: 'serviceCase', when: 'last = true', transition: 'solve' },
    },
  },
];

describe('workflow actions on a related record', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, metadata);
  });
  afterAll(async () => server.close());

  const tick = async () => expect((await server.post('/api/scheduler/tick')).status).toBe(200);

  it('set the parent\'s fields, then take the parent\'s transition, each as its condition says', async () => {
    const serviceCase = await createRecord(server, 'serviceCase', { subject: 'Printer' });
    const first = await createRecord(server, 'caseTask', { title: 'Call back', serviceCase: serviceCase.id });
    const last = await createRecord(server, 'caseTask', { title: 'Replace toner', serviceCase: serviceCase.id, last: true });

    expect((await server.patch(`/api/data/caseTask/${first.id}`, { done: true })).status).toBe(200);
    await tick();
    let parent = (await server.get(`/api/data/serviceCase/${serviceCase.id}`)).body;
    expect(parent).toMatchObject({ lastActivity: 'Done: Call back', status: 'open' });

    expect((await server.patch(`/api/data/caseTask/${last.id}`, { done: true })).status).toBe(200);
    await tick();
    parent = (await server.get(`/api/data/serviceCase/${serviceCase.id}`)).body;
    expect(parent).toMatchObject({ lastActivity: 'Done: Replace toner', status: 'solved' });
    // The change is audited on the parent as the workflow's.
    const history = (await server.get(`/api/data/serviceCase/${serviceCase.id}/history`)).body.items as { action: string }[];
    expect(history.map((h) => h.action)).toContain('workflow.updateRelated');
  });

  it('do nothing without a related record, and leave a parent not in the transition\'s from state where it is', async () => {
    const orphan = await createRecord(server, 'caseTask', { title: 'Alone', last: true });
    expect((await server.patch(`/api/data/caseTask/${orphan.id}`, { done: true })).status).toBe(200);
    await tick();
    expect((await server.get(`/api/data/caseTask/${orphan.id}`)).body.done).toBe(true);

    const solved = await createRecord(server, 'serviceCase', { subject: 'Done already' });
    expect((await server.post(`/api/data/serviceCase/${solved.id}/transitions/solve`, {})).status).toBe(200);
    const task = await createRecord(server, 'caseTask', { title: 'Late', serviceCase: solved.id, last: true });
    expect((await server.patch(`/api/data/caseTask/${task.id}`, { done: true })).status).toBe(200);
    await tick();
    expect((await server.get(`/api/data/serviceCase/${solved.id}`)).body).toMatchObject({ status: 'solved', lastActivity: 'Done: Late' });
  });

  it('are refused on save: a driven or computed field of the target, a field it lacks, no lookup, an unknown transition', async () => {
    const bad = {
      ...metadata[3],
      actions: {
        driven: { type: 'updateRelated', via: 'serviceCase', values: { status: "'solved'" } },
        computed: { type: 'updateRelated', via: 'serviceCase', values: { shout: "'x'" } },
        missing: { type: 'updateRelated', via: 'serviceCase', values: { nope: "'x'" }, transition: 'reopen' },
        notLookup: { type: 'updateRelated', via: 'title', values: { subject: "'x'" } },
        neither: { type: 'updateRelated', via: 'serviceCase' },
      },
      triggers: { onDone: { on: 'update', when: 'done = true', actions: ['driven'] } },
    };
    const res = await server.put('/api/meta/workflows/taskAutomation', bad);
    expectError(res, 400, 'INVALID_METADATA');
    expect(errorPaths(res)).toContain('/actions/neither');
    const withoutNeither = { ...bad, actions: { ...bad.actions, neither: undefined } };
    delete (withoutNeither.actions as Record<string, unknown>)['neither'];
    const checked = await server.put('/api/meta/workflows/taskAutomation', withoutNeither, { 'accept-language': 'zh' });
    expectError(checked, 400, 'INVALID_METADATA');
    expect(errorPaths(checked)).toEqual(['/actions/computed/values/shout', '/actions/driven/values/status', '/actions/missing/transition', '/actions/missing/values/nope', '/actions/notLookup/via']);
    for (const detail of checked.body.error.details) expect(detail.message, detail.path).toMatch(/[\u4e00-\u9fff]/);
  });
});
