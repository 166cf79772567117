// `crm meta apply`, `crm meta export` and `crm types` on a data folder: what the CLI applies is one
// revision a server on that folder serves; export writes it back out document for document; bad
// metadata is refused with every pointer and changes nothing.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';

const run = promisify(execFile);

const account = { kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, fields: { name: { type: 'text', required: true }, dealCount: { type: 'rollup', from: 'deal', via: 'account', op: 'count' } } };
const deal = { kind: 'entity', name: 'deal', label: 'Deal', fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' }, amount: { type: 'currency', min: 0 } } };
const view = { kind: 'view', name: 'bigDeals', entity: 'deal', label: 'Big deals', type: 'list', columns: { name: { order: 10 }, amount: { order: 20 } }, filter: { amount: { $gt: 1000 } }, sort: '-amount' };


/** Stderr without the engine's JSON log lines (one object per line, with a level): what a person reads. */
function withoutLogLines(output: string): string {
  return output.split('\n').filter((line) => !line.startsWith('{"level":')).join('\n');
}

describe('crm meta and crm types', () => {
  let work: string;
  let dataDir: string;
  const crm = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '' } });
      expect(stdout).not.toMatch(/^\{"level":/m); // logs never mix into the command's output
      return { code: 0, out: stdout + withoutLogLines(stderr) };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + withoutLogLines(failed.stderr) };
    }
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-meta-cli-'));
    dataDir = path.join(work, 'data');
    await mkdir(path.join(work, 'in', 'entities'), { recursive: true });
    await writeFile(path.join(work, 'in', 'entities', 'account.json'), JSON.stringify(account));
    await writeFile(path.join(work, 'in', 'entities', 'deal.json'), JSON.stringify(deal));
    await writeFile(path.join(work, 'in', 'big-deals.json'), JSON.stringify(view));
  });
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it('applies a folder as one revision, exports it back, writes types; refuses bad metadata whole', { timeout: 240_000 }, async () => {
    const applied = await crm('meta', 'apply', path.join(work, 'in'));
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('revision 1: 3 change(s)');

    const bad = path.join(work, 'bad.json');
    await writeFile(bad, JSON.stringify([{ ...deal, fields: { ...deal.fields, amount: { type: 'currency', min: 5, max: 1 }, owner2: { type: 'lookup', to: 'nobody' } } }]));
    const refused = await crm('meta', 'apply', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('/entity/deal/fields/amount/min');
    expect(refused.out).toContain('/entity/deal/fields/owner2/to');

    // The dry run is the API's: the same report, JSON, and nothing applied.
    const dryRefused = await crm('meta', 'apply', '--dry-run', bad);
    expect(dryRefused.code).not.toBe(0);
    const refusedReport = JSON.parse(dryRefused.out.slice(dryRefused.out.indexOf('{')));
    expect(refusedReport.valid).toBe(false);
    expect(refusedReport.issues.map((i: { path: string }) => i.path).sort()).toEqual(['/fields/amount/min', '/fields/owner2/to']);
    const good = path.join(work, 'good.json');
    await writeFile(good, JSON.stringify([{ ...deal, fields: { ...deal.fields, note: { type: 'text' } } }]));
    const dryGood = await crm('meta', 'apply', '--dry-run', good);
    expect(dryGood.code, dryGood.out).toBe(0);
    const goodReport = JSON.parse(dryGood.out.slice(dryGood.out.indexOf('{')));
    expect(goodReport).toMatchObject({ valid: true, baseRevision: 1, changes: [{ kind: 'entity', name: 'deal', action: 'update' }], issues: [] });

    const exported = await crm('meta', 'export', path.join(work, 'out'));
    expect(exported.code, exported.out).toBe(0);
    expect(exported.out).toContain('exported revision 1');
    expect((await readdir(path.join(work, 'out'))).sort()).toEqual(['entity', 'view']);
    expect(JSON.parse(await readFile(path.join(work, 'out', 'entity', 'deal.json'), 'utf8'))).toEqual(deal);
    expect(JSON.parse(await readFile(path.join(work, 'out', 'view', 'bigDeals.json'), 'utf8'))).toEqual(view);

    const typed = await crm('types', path.join(work, 'crm.d.ts'));
    expect(typed.code, typed.out).toBe(0);
    const declarations = await readFile(path.join(work, 'crm.d.ts'), 'utf8');
    expect(declarations).toMatch(/export interface Deal \{/);
    expect(declarations).toMatch(/amount\?: number/);

    // A server on the same folder serves what the CLI applied, at the same revision.
    const server = await startTestServer({ dataDir });
    try {
      expect((await server.get('/api/health')).body.revision).toBe(1);
      expect((await server.get('/api/meta/views/bigDeals')).body).toEqual(view);
    } finally {
      await server.close();
    }
  });

  it('runs the same apply hooks as the server: removing a workflow state that records sit in needs a mapping', { timeout: 120_000 }, async () => {
    const ticket = { kind: 'entity', name: 'ticket', label: 'Ticket', fields: { title: { type: 'text' }, status: { type: 'picklist', options: { open: {}, parked: {}, done: {} } } } };
    const flow = (states: Record<string, unknown>, transitions: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      kind: 'workflow', name: 'ticketFlow', entity: 'ticket', label: 'Tickets', field: 'status', states, transitions, ...extra,
    });
    const server = await startTestServer({ dataDir });
    try {
      const applied = await server.post('/api/meta/apply', [ticket, flow(
        { open: { label: 'Open', initial: true }, parked: { label: 'Parked' }, done: { label: 'Done', final: true } },
        { park: { label: 'Park', from: 'open', to: 'parked' }, close: { label: 'Close', from: ['open', 'parked'], to: 'done' } },
      )]);
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      const id = (await server.post('/api/data/ticket', { title: 'x' })).body.id;
      expect((await server.post(`/api/data/ticket/${id}/transitions/park`, {})).status).toBe(200);
    } finally {
      await server.close();
    }
    const withoutParked = flow({ open: { label: 'Open', initial: true }, done: { label: 'Done', final: true } }, { close: { label: 'Close', from: 'open', to: 'done' } });
    const ticketWithoutParked = { ...ticket, fields: { ...ticket.fields, status: { type: 'picklist', options: { open: {}, done: {} } } } };
    await writeFile(path.join(work, 'flow.json'), JSON.stringify([ticketWithoutParked, withoutParked]));
    const refused = await crm('meta', 'apply', path.join(work, 'flow.json'));
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/parked/);
    expect(refused.out).toMatch(/1 ticket record\(s\) are in state "parked"/);
    await writeFile(path.join(work, 'flow.json'), JSON.stringify([ticketWithoutParked, { ...withoutParked, stateMapping: { parked: 'open' } }]));
    const mapped = await crm('meta', 'apply', path.join(work, 'flow.json'));
    expect(mapped.code, mapped.out).toBe(0);
  });
});
