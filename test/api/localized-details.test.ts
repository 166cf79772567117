// Error details in the caller's language: with Accept-Language: zh, not only the top message but
// every detail message is Chinese. Walks every operation of the administrator's document with
// invalid input (an unknown parameter, a body of the wrong shape, an empty object, wrong types) and
// collects each detail message answered; none may stay English.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTranslatable, localizeDetailMessage } from '../../engine/kernel/detail-text.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from '../workflow/support/quote-metadata.ts';
import { applyMetadata } from './api-helpers.ts';

const cjk = /[\u3400-\u9fff]/;
const nowhere = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
let server: TestServer;
let quoteId: string;

beforeAll(async () => {
  server = await startTestServer();
  await applyMetadata(server, [...roles, account, quote, quoteApproval]);
  const accountId = (await server.post('/api/data/account', { name: 'Acme' })).body.id;
  quoteId = (await server.post('/api/data/quote', { account: accountId, listAmount: 1000, validUntil: '2026-04-01', discount: 5 })).body.id;
});
afterAll(async () => server.close());

describe('localized details', () => {
  it('every detail of every error answered in zh is Chinese', async () => {
    const doc = (await server.get('/api/openapi.json')).body as { paths: Record<string, Record<string, any>> };
    const english = new Map<string, string>();
    let details = 0;
    const zh = { 'accept-language': 'zh' };
    const bodies: unknown[] = [['not', 'an', 'object'], {}, { name: 7, title: [], kind: 'entity', amount: 'lots', discount: 'x', listAmount: -1, notAField: 1 }, [{ kind: 'nope' }]];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        if (!item[method] || method === 'delete' || path === '/api/auth/logout') continue;
        const url = path.replace('/api/data/quote/{id}', `/api/data/quote/${quoteId}`).replace(/\{kind\}/, 'entities').replace(/\{[^}]+\}/g, nowhere);
        const calls = [server.request(method.toUpperCase(), `${url}?notAParameter=1`, undefined, zh)];
        if (item[method].requestBody) for (const body of bodies) calls.push(server.request(method.toUpperCase(), url, body, zh));
        for (const res of await Promise.all(calls)) {
          const error = (res.body as { error?: { message: string; details: { message: string }[] } }).error;
          if (!error) continue;
          expect(error.message, `${method} ${path}`).toMatch(cjk);
          for (const d of error.details) {
            details++;
            if (!cjk.test(d.message)) english.set(d.message, `${method.toUpperCase()} ${path}`);
          }
        }
      }
    }
    expect(details).toBeGreaterThan(200);
    expect([...english].map(([message, where]) => `${where}: ${message}`)).toEqual([]);
  }, 120_000);

  it('the issues of a dry run are answered in zh too', async () => {
    const entity = (fields: object, more: object = {}) => ({ kind: 'entity', name: 'probe', label: 'P', fields: { title: { type: 'text' }, ...fields }, ...more });
    const documents = [
      entity({}, { extra: 1 }),
      entity({ title: { type: 'text', minLength: 5, maxLength: 2 } }),
      entity({ f: { type: 'formula', returns: 'number', expression: 'nope(' } }),
      entity({ f: { type: 'formula', returns: 'number', expression: '('.repeat(80) + '1' + ')'.repeat(80) } }),
      entity({ f: { type: 'formula', returns: 'number', expression: 'missing * 2' } }),
      entity({ a: { type: 'lookup', to: 'nowhere' } }),
      { ...entity({}), name: 'user' },
      { ...entity({}), name: 'accountInput' },
      { kind: 'view', name: 'v', label: 'V', entity: 'account', columns: ['nope'] },
    ];
    const issues: { path: string; message: string }[] = [];
    for (const doc of documents) {
      const res = await server.post('/api/meta/validate', [doc], { 'accept-language': 'zh' });
      expect(res.status).toBe(200);
      expect(res.body.valid, JSON.stringify(doc).slice(0, 80)).toBe(false);
      issues.push(...res.body.issues);
    }
    expect(issues.length).toBeGreaterThanOrEqual(documents.length);
    expect(issues.filter((i) => !cjk.test(i.message)).map((i) => `${i.path}: ${i.message}`)).toEqual([]);
  });

  it('a sort a list or an export refuses names its key in Chinese too, not "sort key 1：…"', async () => {
    for (const url of ['/api/data/account?sort=nosuch', '/api/export/account?format=csv&sort=name,,nosuch,name']) {
      const res = await server.get<any>(url, { 'accept-language': 'zh' });
      expect(res.status).toBe(400);
      const messages = res.body.error.details.map((d: { message: string }) => d.message);
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect(message, url).not.toMatch(/sort key/);
      expect(messages).toContain('排序键 1：未知字段 "nosuch"'.replace('1', url.includes('export') ? '3' : '1'));
    }
  });

  it('headers and query parameters the walk does not vary are refused in Chinese too: an Idempotency-Key reused or malformed, a date range', async () => {
    const zh = { 'accept-language': 'zh' };
    const first = await server.post('/api/data/account', { name: 'Keyed' }, { ...zh, 'idempotency-key': 'localized-1' });
    expect(first.status).toBe(201);
    const answers = [
      await server.post('/api/data/account', { name: 'Another body' }, { ...zh, 'idempotency-key': 'localized-1' }),
      await server.post('/api/data/account', { name: 'Bad key' }, { ...zh, 'idempotency-key': 'x'.repeat(300) }),
      await server.get('/api/adoption?from=yesterday', zh),
      await server.get('/api/adoption?from=2026-03-01&to=2026-02-01', zh),
      await server.post('/api/meta/refactor/change-type', { entity: 'account', field: 'name', definition: { label: 'no type' } }, zh),
    ];
    expect(answers.map((res) => res.status)).toEqual([422, 400, 400, 400, 400]);
    for (const res of answers) {
      expect(res.body.error.details.length).toBeGreaterThan(0);
      for (const d of res.body.error.details) expect(`${d.path}: ${d.message}`).toMatch(cjk);
    }
    expect(answers[0]!.body.error.details[0]).toMatchObject({ path: '/headers/idempotency-key', message: '首次使用时的方法、路径或请求体与此不同' });
  });

  it('every fixed English detail phrasing the engine writes has a Chinese rule', () => {
    // Details are written in English at their throw site and translated at the API's edge by rules
    // (kernel/detail-text.ts): a phrasing no rule knows reaches a Chinese caller in English.
    const root = path.resolve(import.meta.dirname, '../../engine');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.startsWith('cli'));
    const untranslated: string[] = [];
    for (const file of files) {
      for (const m of readFileSync(path.join(root, file), 'utf8').matchAll(/(?<![\w.])message: '((?:[^'\\]|\\.)*)'/g)) {
        const message = m[1]!.replace(/\\'/g, "'");
        if (!isTranslatable(message)) untranslated.push(`${file}: ${message}`);
      }
    }
    expect(untranslated).toEqual([]);
  });

  it.each([
    'cannot change while its approval is pending (approval 01JAAAAAAAAAAAAAAAAAAAAAAA of "approve" depends on it)',
    'cannot change as approved until the record is back in a state "approve" starts from (approval 01JAAAAAAAAAAAAAAAAAAAAAAA of "approve" depends on it)',
    'is not a filter of this dashboard (known: period, owner)',
    '"$record.x" names no single-valued field of the record being edited',
    '$record.amount holds a number: it cannot be compared with a text field',
    '"account.region.name" goes through more than 2 lookups',
    'segment "vip" has more than 50000 members',
    'must be a line number from 1 to 50',
    'removing workflow "dealFlow" leaves 3 deal record(s) in state "won"; keep the workflow or move them first',
    '2 deal record(s) are in state "lost", which this change removes: map it to a current state in stateMapping',
    'view "open" is already the default view of deal',
    '"closedOn" must be a date or datetime field of deal',
    'x + w must be at most 12 (the grid\'s columns), got 14',
  ])('a detail written with values in it reads in Chinese: %s', (message) => {
    expect(localizeDetailMessage(message, 'zh')).toMatch(cjk);
  });
});
