// Acceptance: /api/openapi.json passes a third-party OpenAPI 3.1 validator, /api/types.ts compiles
// with tsc, and both follow a metadata change.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata } from './api-helpers.ts';

const run = promisify(execFile);
const tsc = path.resolve('node_modules/.bin/tsc');

const account = {
  kind: 'entity',
  name: 'account',
  label: { en: 'Account', zh: '客户' },
  fields: {
    name: { type: 'text', required: true, maxLength: 120, label: { en: 'Name', zh: '名称' } },
    number: { type: 'autonumber', prefix: 'AC-' },
    tier: { type: 'picklist', options: { gold: {}, silver: {} } },
    tags: { type: 'multipicklist', options: { vip: {}, partner: {}, reseller: {} } },
    address: { type: 'address' },
    consent: { type: 'consent' },
    website: { type: 'url' },
    openDeals: { type: 'rollup', from: 'deal', via: 'account', op: 'count' },
  },
};
const deal = {
  kind: 'entity',
  name: 'deal',
  label: 'Deal',
  fields: {
    title: { type: 'text', required: true },
    account: { type: 'lookup', to: 'account' },
    amount: { type: 'currency', min: 0 },
    probability: { type: 'percent' },
    closeDate: { type: 'date' },
    won: { type: 'boolean' },
    weighted: { type: 'formula', returns: 'currency', expression: 'amount * probability / 100' },
  },
};

/** Runs tsc --noEmit --strict over the given files; returns its output (empty when clean). */
async function typecheck(files: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    // Run where no tsconfig.json is, so that only the command line's options apply.
    const options = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--allowImportingTsExtensions', '--skipLibCheck'];
    await run(tsc, [...options, ...files], { timeout: 60_000, cwd: path.dirname(files[0]!) });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout ?? ''}${stderr ?? ''}` };
  }
}

describe('generated API documents', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [account, deal]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-types-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('/api/openapi.json is a valid OpenAPI 3.1 document describing every entity', async () => {
    const res = await server.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    for (const name of ['account', 'deal']) {
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining([`/api/data/${name}`, `/api/data/${name}/{id}`, `/api/data/${name}/{id}/history`]));
    }
    const operations = res.body.paths['/api/data/deal/{id}'];
    expect(Object.keys(operations)).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(operations.patch.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '412']));
    const schemas = res.body.components.schemas;
    expect(schemas.Deal.properties.account).toMatchObject({ 'x-crm-type': 'lookup', 'x-crm-lookup': 'account' });
    expect(schemas.Deal.properties.weighted).toMatchObject({ readOnly: true });
    expect(schemas.Account.properties.name).toMatchObject({ type: 'string', maxLength: 120, title: 'Name' });
    // Computed fields are not part of what a client sends.
    expect(Object.keys(schemas.DealInput.properties)).not.toContain('weighted');
    expect(Object.keys(schemas.AccountInput.properties)).not.toContain('number');
    expect(schemas['crm.Error']).toBeDefined();
  });

  it('/api/types.ts compiles with tsc --strict, and describes records precisely enough to catch mistakes', async () => {
    const res = await server.get('/api/types.ts');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const types = String(res.body);
    expect(types).toMatch(/export interface Account\b/);
    expect(types).toMatch(/export interface Deal\b/);
    await writeFile(path.join(dir, 'crm-types.ts'), types);

    // A client that uses the types as intended compiles…
    await writeFile(
      path.join(dir, 'good-client.ts'),
      [
        "import type { Deal, DealInput, Account } from './crm-types.ts';",
        "const input: DealInput = { title: 'Big one', amount: 1200, probability: 50, closeDate: '2026-06-30', won: false };",
        'declare const deal: Deal;',
        'const weighted: number | undefined = deal.weighted;',
        "declare const account: Account;",
        "const city: string | undefined = account.address?.city;",
        'export { input, weighted, city };',
      ].join('\n'),
    );
    const good = await typecheck([path.join(dir, 'crm-types.ts'), path.join(dir, 'good-client.ts')]);
    expect(good.output).toBe('');
    expect(good.ok).toBe(true);

    // …and one that gets a field's type wrong, or writes a computed field, does not.
    await writeFile(
      path.join(dir, 'bad-client.ts'),
      ["import type { DealInput } from './crm-types.ts';", "const wrongType: DealInput = { title: 'x', amount: 'lots' };", "const computed: DealInput = { title: 'x', weighted: 3 };", 'export { wrongType, computed };'].join('\n'),
    );
    const bad = await typecheck([path.join(dir, 'crm-types.ts'), path.join(dir, 'bad-client.ts')]);
    expect(bad.ok).toBe(false);
    expect(bad.output).toMatch(/bad-client\.ts\(2,/);
    expect(bad.output).toMatch(/bad-client\.ts\(3,/);
  });

  it('both follow a metadata change at once', async () => {
    const before = String((await server.get('/api/types.ts')).body);
    expect(before).not.toContain('Invoice');
    const invoice = {
      kind: 'entity',
      name: 'invoice',
      label: { en: 'Invoice', zh: '发票' },
      fields: { deal: { type: 'lookup', to: 'deal' }, total: { type: 'currency', required: true }, paidOn: { type: 'date' } },
    };
    await applyMetadata(server, [invoice, { ...deal, fields: { ...deal.fields, region: { type: 'picklist', options: { north: {}, south: {} } } } }]);

    const doc = await server.get('/api/openapi.json');
    expect((await new Validator().validate(doc.body)).valid).toBe(true);
    expect(Object.keys(doc.body.paths)).toContain('/api/data/invoice');
    expect(doc.body.components.schemas.Deal.properties.region).toMatchObject({ enum: ['north', 'south'] });

    const types = String((await server.get('/api/types.ts')).body);
    expect(types).toMatch(/export interface Invoice\b/);
    expect(types).toMatch(/region\?: \(?"north" \| "south"\)?/);
    expect(types).toContain('revision 2');
    await writeFile(path.join(dir, 'crm-types-2.ts'), types);
    await writeFile(
      path.join(dir, 'invoice-client.ts'),
      ["import type { InvoiceInput, DealInput } from './crm-types-2.ts';", "const i: InvoiceInput = { total: 10, paidOn: '2026-03-01' };", "const d: DealInput = { title: 't', region: 'north' };", 'export { i, d };'].join('\n'),
    );
    const checked = await typecheck([path.join(dir, 'crm-types-2.ts'), path.join(dir, 'invoice-client.ts')]);
    expect(checked.output).toBe('');
  });

  it('refuses query parameters on the documents', async () => {
    expect((await server.get('/api/openapi.json?x=1')).status).toBe(400);
    expect((await server.get('/api/types.ts?x=1')).status).toBe(400);
  });
});
