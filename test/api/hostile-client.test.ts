// A client and an administrator who write their own requests and metadata: what the engine's rules
// promise them (a 4xx with a pointer and a reason in en and zh, nothing half applied, no 500) for
// the odd inputs an ordinary client never sends. Each case here was once answered otherwise.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, expectError } from './api-helpers.ts';

const cjk = /[\u3400-\u9fff]/;
const L = (en: string, zh = en) => ({ en, zh });
let server: TestServer;

const account = {
  kind: 'entity', name: 'account', label: L('Account', '客户'), titleField: 'name',
  fields: { name: { type: 'text', required: true }, manager: { type: 'user' }, credit: { type: 'number' } },
};
const deal = {
  kind: 'entity', name: 'deal', label: L('Deal', '商机'), titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    account: { type: 'lookup', to: 'account' },
    amount: { type: 'number' },
    status: { type: 'picklist', options: { open: { label: L('Open') }, won: { label: L('Won') } } },
  },
};

beforeAll(async () => {
  server = await startTestServer();
  await applyMetadata(server, [account, deal]);
});
afterAll(async () => server.close());

/** Saves a document in en and in zh: both refused with the same pointers, the zh details in Chinese. */
async function refusedOnSave(doc: { kind: string; name: string; [key: string]: unknown }, expectedPath: string): Promise<string[]> {
  const url = `/api/meta/${doc.kind === 'entity' ? 'entities' : `${doc.kind}s`}/${doc.name}`;
  const en = await server.put(url, doc);
  const enDetails = expectError(en, 400, 'INVALID_METADATA');
  expect(enDetails.map((d) => d.path)).toContain(expectedPath);
  const zh = await server.put(url, doc, { 'accept-language': 'zh-CN' });
  const zhDetails = expectError(zh, 400, 'INVALID_METADATA');
  expect(zhDetails.map((d) => d.path)).toEqual(enDetails.map((d) => d.path));
  expect(zhDetails.filter((d) => !cjk.test(d.message)).map((d) => `${d.path}: ${d.message}`)).toEqual([]);
  return enDetails.filter((d) => d.path === expectedPath).map((d) => d.message);
}

describe('names that every JavaScript object already has', () => {
  it('are refused as field names on save (a record holding one broke PATCH and /api/types.ts with a 500)', async () => {
    for (const name of ['hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf']) {
      const doc = { kind: 'entity', name: 'probe', label: L('Probe'), fields: { title: { type: 'text' }, [name]: { type: 'text' } } };
      const [message] = await refusedOnSave(doc, `/fields/${name}`);
      expect(message).toContain(name);
    }
    const link = { kind: 'entity', name: 'probe', label: L('Probe'), fields: { title: { type: 'text' }, peers: { type: 'multiLookup', to: 'account', linkFields: { hasOwnProperty: { type: 'text' } } } } };
    await refusedOnSave(link, '/fields/peers/linkFields/hasOwnProperty');
    expect((await server.get('/api/types.ts')).status).toBe(200);
  });
});

describe('workflow actions that could only fail when they run', () => {
  const workflow = (actions: Record<string, unknown>, approval?: unknown) => ({
    kind: 'workflow', name: 'dealFlow', entity: 'deal', label: L('Deal flow'), field: 'status',
    states: { open: { label: L('Open'), order: 1, initial: true }, won: { label: L('Won'), order: 2, final: true } },
    transitions: { win: { label: L('Win'), from: 'open', to: 'won', actions: Object.keys(actions), ...(approval ? { approval } : {}) } },
    actions,
  });

  it('a createRecord without a required field of its target is refused on save (it failed in the scheduler, retried, after the transition had moved)', async () => {
    const [message] = await refusedOnSave(workflow({ follow: { type: 'createRecord', entity: 'account', values: { credit: 'amount' } } }), '/actions/follow/values');
    expect(message).toContain('"name"');
    // Setting a computed field of the target is refused as well; a complete one saves and runs.
    const computed = { ...account, name: 'ledger', fields: { ...account.fields, half: { type: 'formula', returns: 'number', expression: 'credit / 2' } } };
    await applyMetadata(server, [computed]);
    await refusedOnSave(workflow({ follow: { type: 'createRecord', entity: 'ledger', values: { name: 'name', half: '1' } } }), '/actions/follow/values/half');
    expect((await server.put('/api/meta/workflows/dealFlow', workflow({ follow: { type: 'createRecord', entity: 'account', values: { name: "'Follow-up ' & name", credit: 'amount' } } }))).status).toBeLessThan(300);
    const created = await server.post('/api/data/deal', { name: 'Big', amount: 5 });
    expect((await server.post(`/api/data/deal/${created.body.id}/transitions/win`, {})).status).toBe(200);
  });

  it('a recipient or approver field that holds no user is refused on save (a number, an option or a lookup record id was taken for a user id)', async () => {
    const notify = (fields: string[]) => workflow({ tell: { type: 'notify', to: { fields }, subject: L('Won') } });
    expect(await refusedOnSave(notify(['amount']), '/actions/tell/to/fields/0')).toHaveLength(1);
    await refusedOnSave(notify(['status']), '/actions/tell/to/fields/0');
    await refusedOnSave(notify(['owner', 'account']), '/actions/tell/to/fields/1');
    await refusedOnSave(notify(['account.nothing']), '/actions/tell/to/fields/0');
    const approval = { steps: { check: { order: 1, label: L('Check'), approver: { field: 'account.credit' } } } };
    await refusedOnSave({ ...workflow({}), transitions: { win: { label: L('Win'), from: 'open', to: 'won', approval } } }, '/transitions/win/approval/steps/check/approver/field');
    // A user field, on the record or through a lookup, and the system user fields are fine.
    expect((await server.put('/api/meta/workflows/dealFlow', notify(['owner', 'account.manager', 'account.owner', 'createdBy']))).status).toBeLessThan(300);
  });
});

describe('one apply naming an item twice', () => {
  it('is refused at the second document, in en and zh, and changes nothing (it was a 409 on the revision id)', async () => {
    const before = (await server.get('/api/meta/revisions?limit=1')).body;
    const twice = [
      { kind: 'entity', name: 'twin', label: L('Twin'), fields: { title: { type: 'text' } } },
      { kind: 'entity', name: 'other', label: L('Other'), fields: { title: { type: 'text' } } },
      { kind: 'entity', name: 'twin', label: L('Twin 2'), fields: { code: { type: 'text' } } },
    ];
    for (const language of ['en', 'zh']) {
      const res = await server.post('/api/meta/apply', twice, { 'accept-language': language });
      const details = expectError(res, 400, 'INVALID_METADATA');
      expect(details.map((d) => d.path)).toEqual(['/documents/2']);
      expect(details[0]!.message).toContain('/documents/0');
      if (language === 'zh') expect(details[0]!.message).toMatch(cjk);
    }
    const both = await server.post('/api/meta/validate', { documents: [twice[0]], remove: [{ kind: 'entity', name: 'twin' }] });
    expect(expectError(both, 400, 'INVALID_METADATA').map((d) => d.path)).toEqual(['/remove/0']);
    expect((await server.get('/api/meta/entities/twin')).status).toBe(404);
    expect((await server.get('/api/meta/entities/other')).status).toBe(404);
    expect((await server.get('/api/meta/revisions?limit=1')).body).toEqual(before);
  });
});
