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
async function refusedOnSave(doc: { kind: string; name: string }, expectedPath: string): Promise<string[]> {
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
