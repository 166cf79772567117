// Acceptance (issue 10, point 2): one dry run. POST /api/meta/validate answers what POST
// /api/meta/apply then does — 200 random metadata changes over seeded records, each dry-run first:
// a change called valid applies, a refused one is refused by apply with exactly the same issues.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiResponse, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, currentRevision, expectError, seededRandom } from './api-helpers.ts';

const options = { open: { label: 'Open' }, won: { label: 'Won' }, lost: { label: 'Lost' } };
const account = { kind: 'entity', name: 'account', label: 'Account', titleField: 'name', fields: { name: { type: 'text', required: true } } };
const deal = {
  kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
  fields: {
    name: { type: 'text', required: true }, code: { type: 'text' }, email: { type: 'email' }, qty: { type: 'integer' },
    stage: { type: 'picklist', options }, account: { type: 'lookup', to: 'account' },
  },
};
const flow = {
  kind: 'workflow', name: 'dealFlow', entity: 'deal', field: 'stage', label: 'Deal flow',
  states: { open: { initial: true, label: 'Open' }, won: { final: true, label: 'Won' }, lost: { final: true, label: 'Lost' } },
  transitions: { win: { from: 'open', to: 'won', label: 'Win' }, lose: { from: 'open', to: 'lost', label: 'Lose' } },
};

type Doc = Record<string, any>;
const clone = <T>(value: T): T => structuredClone(value);

/** One random change to the current documents: some valid, some refused by checks, some by the records. */
function randomChange(random: () => number, current: { deal: Doc; flow: Doc }): { documents: Doc[]; remove?: { kind: string; name: string }[] } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const field = pick(['name', 'code', 'email', 'qty', 'nope']);
  const d = clone(current.deal);
  switch (Math.floor(random() * 10)) {
    case 0: // unique over values records share (code and email have duplicates) or not (name has none)
      if (d.fields[field]) d.fields[field].unique = random() < 0.7;
      else d.fields[field] = { type: 'text', unique: true };
      return { documents: [d] };
    case 1: // required: never refused, counted in the impact
      if (d.fields[field] && field !== 'name') d.fields[field].required = random() < 0.5;
      return { documents: [d] };
    case 2: // bounds
      d.fields.qty = { type: 'integer', min: pick([0, 5, 50]), max: pick([1, 10, 100]) };
      return { documents: [d] };
    case 3: // a rule, parsing or not, naming real fields or not
      d.rules = { r: { when: pick(['qty > 10', 'qty > (', `${field} = 'x'`, '$eval("1")']), message: { en: 'no', zh: '不' }, field: 'qty' } };
      return { documents: [d] };
    case 4: { // a workflow losing a state records sit in, mapped or not
      const f = clone(current.flow);
      const dropped = pick(['won', 'lost']);
      delete f.states[dropped];
      delete f.transitions[dropped === 'won' ? 'win' : 'lose'];
      d.fields.stage = { type: 'picklist', options: Object.fromEntries(Object.entries(options).filter(([k]) => k !== dropped)) };
      if (random() < 0.4) f.stateMapping = { [dropped]: 'open' };
      return { documents: [d, f] };
    }
    case 5: // a view with a filter that parses or not
      return { documents: [{ kind: 'view', name: `v${Math.floor(random() * 3)}`, entity: 'deal', label: 'V', type: 'list', columns: { [pick(['name', 'qty', 'account.name', 'nope'])]: { order: 10 } }, filter: pick([{ qty: { $gt: 1 } }, { qty: 'x' }, { owner: '$me' }, { nope: 1 }]) }] };
    case 6: // a form with a widget that fits or not
      return { documents: [{ kind: 'form', name: 'dealForm', entity: 'deal', label: 'F', sections: { main: { order: 10, fields: { [field]: { order: 10, widget: pick(['input', 'checkbox', 'stepper']) } } } } }] };
    case 7: // remove an entity others use
      return random() < 0.5 ? { documents: [], remove: [{ kind: 'entity', name: 'account' }] } : { documents: [], remove: [{ kind: 'view', name: 'v0' }] };
    case 8: // a new field with a default that fits or not
      d.fields[`extra${Math.floor(random() * 3)}`] = { type: pick(['integer', 'text']), default: pick([3, 'x']) };
      return { documents: [d] };
    default: // back to the start (keeps the walk near the seeded records)
      return { documents: [clone(deal), clone(flow)] };
  }
}

describe('dry run and apply agree', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [account, deal, flow]);
    const acme = await createRecord(server, 'account', { name: 'Acme' });
    const random = seededRandom(20261202);
    for (let i = 0; i < 24; i++) {
      const created = await createRecord(server, 'deal', { name: `Deal ${i}`, code: `C${i % 8}`, email: `d${i % 12}@x.test`, ...(i % 3 ? { qty: Math.floor(random() * 60) } : {}), ...(i % 2 ? { account: acme.id } : {}) });
      if (i % 4 === 1) expect((await server.post(`/api/data/deal/${created.id}/transitions/win`, {})).status).toBe(200);
      if (i % 4 === 2) expect((await server.post(`/api/data/deal/${created.id}/transitions/lose`, {})).status).toBe(200);
    }
  });
  afterAll(async () => server.close());

  it('a unique index over existing duplicates: the dry run says so, and the PUT refuses with the same pointer', async () => {
    const before = await currentRevision(server);
    const change = { ...clone(deal), fields: { ...clone(deal).fields, code: { type: 'text', unique: true } } };
    const dry = await server.post('/api/meta/validate', [change]);
    expect(dry.body.valid).toBe(false);
    expect(dry.body.uniqueIndexes).toEqual([expect.objectContaining({ entity: 'deal', fields: ['code'], duplicates: 24 })]);
    expect(dry.body.issues).toEqual([expect.objectContaining({ kind: 'entity', name: 'deal', path: '/fields/code', code: 'UNIQUE_INDEX' })]);
    const put = await server.put('/api/meta/entities/deal', change);
    expect(expectError(put, 400, 'INVALID_METADATA').map((d) => d.path)).toEqual(['/entity/deal/fields/code']);
    expect(await currentRevision(server)).toBe(before);
  });

  it('200 random changes: valid ones apply, refused ones are refused by apply with the same issues', { timeout: 120_000 }, async () => {
    const random = seededRandom(7);
    const current: { deal: Doc; flow: Doc } = { deal: clone(deal), flow: clone(flow) };
    const outcomes = { applied: 0, refused: 0 };
    for (let i = 0; i < 200; i++) {
      const change = randomChange(random, current);
      const dry = await server.post('/api/meta/validate', change);
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      const applied: ApiResponse = await server.post('/api/meta/apply', change);
      const context = `change ${i}: ${JSON.stringify(change).slice(0, 400)}\ndry run: ${JSON.stringify(dry.body.issues)}\napply: ${JSON.stringify(applied.body)}`;
      if (dry.body.valid) {
        expect(applied.status, context).toBe(200);
        outcomes.applied++;
        for (const doc of change.documents) if (doc.kind === 'entity' && doc.name === 'deal') current.deal = doc;
        for (const doc of change.documents) if (doc.kind === 'workflow') current.flow = doc;
      } else {
        expect(applied.status, context).toBe(400);
        const expected = dry.body.issues.map((issue: any) => ({ path: `/${issue.kind}/${issue.name}${issue.path}`, message: issue.message })).sort((a: any, b: any) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
        const got = applied.body.error.details.map((d: any) => ({ path: d.path, message: d.message })).sort((a: any, b: any) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
        expect(got, context).toEqual(expected);
        outcomes.refused++;
      }
    }
    // Both outcomes are exercised, not one only.
    expect(outcomes.applied).toBeGreaterThan(30);
    expect(outcomes.refused).toBeGreaterThan(30);
  });
});
