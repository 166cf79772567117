// A client and an administrator who write their own requests and metadata: what the engine's rules
// promise them (a 4xx with a pointer and a reason in en and zh, nothing half applied, no 500) for
// the odd inputs an ordinary client never sends. Each case here was once answered otherwise.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiResponse, type TestServer } from '../support/test-server.ts';
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

describe('a change to an entity that an action relies on', () => {
  it('is refused where the action would then fail, pointing into the workflow', async () => {
    const flow = {
      kind: 'workflow', name: 'dealFlow', entity: 'deal', label: L('Deal flow'), field: 'status',
      states: { open: { label: L('Open'), order: 1, initial: true }, won: { label: L('Won'), order: 2, final: true } },
      transitions: { win: { label: L('Win'), from: 'open', to: 'won', actions: ['follow', 'tell'] } },
      actions: { follow: { type: 'createRecord', entity: 'account', values: { name: 'name' } }, tell: { type: 'notify', to: { fields: ['account.manager'] }, subject: L('Won') } },
    };
    expect((await server.put('/api/meta/workflows/dealFlow', flow)).status).toBeLessThan(300);
    const required = await server.put('/api/meta/entities/account', { ...account, fields: { ...account.fields, code: { type: 'text', required: true } } }, { 'accept-language': 'zh' });
    const details = expectError(required, 400, 'INVALID_METADATA');
    expect(details.map((d) => d.path)).toEqual(['/workflow/dealFlow/actions/follow/values']);
    expect(details[0]!.message).toMatch(cjk);
    const retyped = await server.put('/api/meta/entities/account', { ...account, fields: { ...account.fields, manager: { type: 'number' } } });
    expect(expectError(retyped, 400, 'INVALID_METADATA').map((d) => d.path)).toEqual(['/workflow/dealFlow/actions/tell/to/fields/0']);
    expect((await server.get('/api/meta/entities/account')).body).toMatchObject({ fields: { manager: { type: 'user' } } });
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

describe('details in the caller language', () => {
  const opts = { a: { label: L('A') }, b: { label: L('B') } };
  const entity = (fields: object, more: object = {}) => ({ kind: 'entity', name: 'probe', label: L('Probe'), titleField: 'title', fields: { title: { type: 'text' }, ...fields }, ...more });
  const flow = (more: object) => ({
    kind: 'workflow', name: 'dealFlow', entity: 'deal', label: L('Deal flow'), field: 'status',
    states: { open: { label: L('Open'), order: 1, initial: true }, won: { label: L('Won'), order: 2, final: true } },
    transitions: { win: { label: L('Win'), from: 'open', to: 'won' } }, ...more,
  });
  const view = (more: object) => ({ kind: 'view', name: 'probeView', entity: 'deal', label: L('V'), type: 'list', columns: { name: { order: 1 } }, ...more });
  const kanban = (settings: object) => ({ kind: 'view', name: 'probeView', entity: 'deal', label: L('V'), type: 'kanban', kanban: settings });
  const form = (sections: object) => ({ kind: 'form', name: 'probeForm', entity: 'deal', label: L('F'), sections });
  const role = (permissions: object) => ({ kind: 'role', name: 'probeRole', label: L('R'), permissions });
  const widget = (w: object) => ({ kind: 'dashboard', name: 'probeBoard', title: L('D'), widgets: { w: { title: L('w'), layout: { x: 0, y: 0, w: 3, h: 2 }, ...w } } });
  const metric = (name: string, x: number, y: number) => ({ type: 'metric', title: L(name), entity: 'deal', measure: { op: 'count' }, layout: { x, y, w: 6, h: 2 } });

  // Each was answered with at least one English detail to a zh caller.
  const documents: Record<string, object> = {
    formulaCycle: entity({ f: { type: 'formula', returns: 'number', expression: 'g + 1' }, g: { type: 'formula', returns: 'number', expression: 'f + 1' } }),
    formulaThroughLookup: entity({ a: { type: 'lookup', to: 'account' }, f: { type: 'formula', returns: 'number', expression: 'a.nope' } }),
    rollupVia: entity({ r: { type: 'rollup', from: 'deal', via: 'nope', op: 'sum', field: 'amount' } }),
    minAboveMax: entity({ p: { type: 'number', min: 10, max: 0 }, d: { type: 'date', min: '2026-01-02', max: '2026-01-01' } }),
    multiValuedIndex: entity({ m: { type: 'multipicklist', options: opts } }, { indexes: { i: { fields: ['m'] } } }),
    linkAttributes: entity({ l: { type: 'multiLookup', to: 'account', linkFields: { f: { type: 'lookup', to: 'account' }, u: { type: 'text', unique: true, default: 'x' } } } }),
    initialStates: flow({ states: { open: { label: L('Open'), order: 1, initial: true }, won: { label: L('Won'), order: 2, initial: true } } }),
    statesAndOptions: flow({ states: { open: { label: L('Open'), order: 1, initial: true }, won: { label: L('Won'), order: 2 }, lost: { label: L('Lost'), order: 3, final: true } }, transitions: { lose: { label: L('Lose'), from: 'open', to: 'lost' } } }),
    stateFieldNotPicklist: flow({ field: 'amount' }),
    startApprovalWithout: flow({ transitions: { win: { label: L('Win'), from: 'open', to: 'won', actions: ['a'] } }, actions: { a: { type: 'startApproval', transition: 'win' } } }),
    filterVariables: view({ filter: { amount: '$me', name: '$today - 3 eons' } }),
    filterOperators: view({ filter: { name: { $foo: 1, $exists: 'y' }, amount: { $in: 'x' }, $or: [], status: { $not: { $not: { $eq: 'open' } } } } }),
    kanbanColumns: kanban({ groupBy: 'name', cardFields: ['name'], sumField: 'name' }),
    formWidgetAndLookup: form({ s: { order: 1, label: L('S'), fields: { amount: { order: 1, widget: 'lookup' }, name: { order: 2, visibleWhen: "account.name = 'x'" } } } }),
    formTwice: form({ s: { order: 1, label: L('S'), fields: { name: { order: 1 } } }, t: { order: 2, label: L('T'), fields: { name: { order: 1 } } } }),
    roleScopes: role({ deal: { read: 'own', update: 'all', delete: 'team', transitions: { dealFlow: ['nope'] } }, account: { read: 'all', transitions: { dealFlow: '*' } } }),
    widgetMeasure: widget({ type: 'metric', entity: 'deal', measure: { op: 'sum', field: 'name' } }),
    widgetGroup: widget({ type: 'bar', entity: 'deal', measure: { op: 'count' }, groupBy: 'nope' }),
    widgetFunnel: widget({ type: 'funnel', entity: 'account', workflow: 'nope' }),
    widgetsOverlap: { kind: 'dashboard', name: 'probeBoard', title: L('D'), widgets: { a: metric('a', 0, 0), b: metric('b', 3, 1) } },
  };

  it('every issue of a refused metadata document is Chinese for a zh caller', async () => {
    expect((await server.put('/api/meta/workflows/dealFlow', flow({}))).status).toBeLessThan(300);
    const english: string[] = [];
    for (const [name, doc] of Object.entries(documents)) {
      const res = await server.post('/api/meta/validate', [doc], { 'accept-language': 'zh' });
      expect(res.status).toBe(200);
      expect(res.body.valid, name).toBe(false);
      for (const issue of res.body.issues) if (!cjk.test(issue.message)) english.push(`${name} ${issue.path}: ${issue.message}`);
    }
    expect(english).toEqual([]);
  });

  it('every detail of a refused filter, cursor, body or address is Chinese for a zh caller', async () => {
    const filters = [
      '{"$nor":[1]}', '{"name":{"$foo":1}}', '{"$where":"1"}', '{"__proto__":{"a":1}}', '{"name":{"$in":"x"}}', '{"name":{"$exists":"yes"}}', '{"$and":{}}',
      `{"$and":[${'{"$and":['.repeat(12)}{}${']}'.repeat(12)}]}`, '{"name":{"$not":"x"}}', '{"name.x":1}', '{"name":{"$options":"i"}}', '{"name":{"$not":{"$not":{"$eq":1}}}}',
      '{"name":{}}', `{"amount":{"$in":[${'1,'.repeat(600)}1]}}`, '{"name":{"$size":1}}', '{"amount":"$me"}',
    ];
    const urls = [...filters.map((f) => `/api/data/deal?filter=${encodeURIComponent(f)}`), '/api/data/deal?cursor=x', '/api/data/deal/%E0%A4%A'];
    const english: string[] = [];
    const collect = (what: string, res: ApiResponse) => {
      const details = expectError(res, 400);
      expect(res.body.error.message, what).toMatch(cjk);
      expect(details.length, what).toBeGreaterThan(0);
      for (const d of details) if (!cjk.test(d.message)) english.push(`${what} ${d.path}: ${d.message}`);
    };
    for (const url of urls) collect(url, await server.get(url, { 'accept-language': 'zh' }));
    collect('malformed JSON', await server.post('/api/data/deal', '{"name":', { 'accept-language': 'zh' }));
    expect(english).toEqual([]);
  });

  it('an empty fields= is refused at /query/fields on a list, a record and an export (it answered ids only)', async () => {
    const created = await server.post('/api/data/account', { name: 'Fields test' });
    expect(created.status).toBe(201);
    for (const url of ['/api/data/account?fields=', `/api/data/account/${created.body.id}?fields=`, '/api/data/account?fields=%20,%20', '/api/export/account?format=csv&fields=']) {
      expect(expectError(await server.get(url), 400, 'INVALID_QUERY'), url).toEqual([expect.objectContaining({ path: '/query/fields', message: expect.stringMatching(/^must name at least one field/) })]);
      expect(expectError(await server.get(url, { 'accept-language': 'zh' }), 400, 'INVALID_QUERY')[0]!.message, url).toMatch(cjk);
    }
    expect((await server.get('/api/data/account?fields=name')).body.items[0]).toHaveProperty('name');
  });
});

describe('text that is not text', () => {
  it('a lone surrogate or bytes that are not UTF-8 are refused with a pointer, not stored as they come or as U+FFFD', async () => {
    const before = (await server.get('/api/data/account?total=1')).body.total;
    const lone = await server.post('/api/data/account', '{"name":"A\\ud800B"}', { 'accept-language': 'zh' });
    const details = expectError(lone, 400, 'BAD_REQUEST');
    expect(details.map((d) => d.path)).toEqual(['/name']);
    expect(details[0]!.message).toMatch(cjk);
    expect(expectError(await server.put('/api/meta/entities/probe', '{"kind":"entity","name":"probe","label":{"en":"\\udc00"},"fields":{"title":{"type":"text"}}}'), 400).map((d) => d.path)).toEqual(['/label/en']);
    expect(expectError(await server.post('/api/data/deal', '{"name":"x","\\ud800":1}'), 400).map((d) => d.path)).toEqual(['/\ud800']);
    const bytes = new Uint8Array([...Buffer.from('{"name":"'), 0xff, 0xfe, ...Buffer.from('"}')]);
    const res = await fetch(`${server.url}/api/data/account`, { method: 'POST', headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'application/json' }, body: bytes });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    expect((await server.get('/api/data/account?total=1')).body.total).toBe(before);
    // A character outside the BMP is a surrogate pair, which is fine.
    const emoji = await server.post('/api/data/account', '{"name":"\\ud83d\\ude00 Café"}');
    expect(emoji.status).toBe(201);
    expect(emoji.body.name).toBe('😀 Café');
  });
});

describe('requests Node refuses before the API sees them', () => {
  it('an address and headers over the server limit get 431 with the API error body (it was a bare status), in the caller language; the server goes on', async () => {
    const filter = encodeURIComponent(JSON.stringify({ name: { $in: Array.from({ length: 2000 }, (_, i) => `account ${i}`) } }));
    expect(filter.length).toBeGreaterThan(16 * 1024);
    for (const [language, cjkExpected] of [['en-US', false], ['zh-CN', true]] as const) {
      const res = await fetch(`${server.url}/api/data/account?filter=${filter}`, { headers: { authorization: `Bearer ${server.admin!.token}`, 'accept-language': language } });
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: { code: string; message: string; details: { path: string; message: string }[] } };
      expect(body.error.code).toBe('HEADERS_TOO_LARGE');
      expect(body.error.details).toEqual([{ path: '', message: expect.stringContaining('16 KB') }]);
      expect(cjk.test(body.error.message)).toBe(cjkExpected);
    }
    expect((await server.get('/api/data/account?limit=1')).status).toBe(200);
  });

  it('bytes that are not HTTP get 400 with the API error body, and the server goes on', async () => {
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => socket.write('HELLO THERE\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'BAD_REQUEST', message: 'The request is malformed', details: [{ path: '', message: 'is not a well-formed HTTP request' }] } });
    expect((await server.get('/api/data/account?limit=1')).status).toBe(200);
  });
});

describe('a transition body that is not an object', () => {
  it('[] or null is refused with 400 at the body, in the caller language, and the record does not move (an empty array was taken as "no comment" and the move made)', async () => {
    const ticket = { kind: 'entity', name: 'ticket', label: L('Ticket', '工单'), titleField: 'name', fields: { name: { type: 'text' }, status: { type: 'picklist', options: { open: { label: L('Open') }, done: { label: L('Done') } } } } };
    const flow = {
      kind: 'workflow', name: 'ticketFlow', entity: 'ticket', label: L('Ticket flow'), field: 'status',
      states: { open: { label: L('Open'), order: 1, initial: true }, done: { label: L('Done'), order: 2, final: true } },
      transitions: { close: { label: L('Close'), from: 'open', to: 'done' } },
    };
    await applyMetadata(server, [ticket, flow]);
    const id = (await server.post('/api/data/ticket', { name: 'T' })).body.id;
    for (const body of ['[]', 'null', '[{"comment":"x"}]']) {
      const res = await server.post(`/api/data/ticket/${id}/transitions/close`, body, { 'accept-language': 'zh' });
      const details = expectError(res, 400, 'BAD_REQUEST');
      expect(details).toEqual([{ path: '', message: '必须是 JSON 对象' }]);
      expect((await server.get(`/api/data/ticket/${id}`)).body).toMatchObject({ status: 'open', version: 1 });
    }
    expect((await server.post(`/api/data/ticket/${id}/transitions/close`, {})).status).toBe(200);
  });
});

describe('a misspelt job status', () => {
  it('GET /api/scheduler/jobs?status=faild is 400 at /query/status naming the statuses (it answered an empty list, as if nothing had failed)', async () => {
    const res = await server.get('/api/scheduler/jobs?status=faild', { 'accept-language': 'zh' });
    expect(expectError(res, 400, 'INVALID_QUERY')).toEqual([{ path: '/query/status', message: '必须是以下之一：pending, running, done, failed' }]);
    for (const status of ['pending', 'running', 'done', 'failed']) expect((await server.get(`/api/scheduler/jobs?status=${status}`)).status).toBe(200);
  });
});
