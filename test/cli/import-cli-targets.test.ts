// `crm import` of one file into two entities: the report's headline sums them ("8 created"), so
// the command adds a line per entity — created, updated, unchanged and skipped (its `when` said no)
// — counted here from the file itself, for a dry run and for the import that follows it.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let work: string;
let dataDir: string;

function crm(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '', LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const rows = [
  ['Delta Parts', 'Ann', 'ann@delta.example'],
  ['Delta Parts', 'Bo', 'bo@delta.example'],
  ['Echo Farms', 'Cy', ''],
  ['Echo Farms', 'Di', 'di@echo.example'],
  ['Fox Mills', 'Ed', 'not an e-mail'],
  ['Gull Ltd', 'Flo', ''],
];
const entities = [
  { kind: 'entity', name: 'account', label: 'Account', titleField: 'name', fields: { name: { type: 'text', required: true, unique: true } } },
  { kind: 'entity', name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true }, email: { type: 'email', unique: true }, account: { type: 'lookup', to: 'account' } } },
];
const mapping = {
  name: 'accounts-contacts',
  targets: [
    { entity: 'account', key: ['name'], columns: { name: 'Client' } },
    // Only rows that give an e-mail make a contact (found again by it).
    { entity: 'contact', key: ['email'], columns: { account: 'Client', name: 'Contact', email: 'E-mail' }, lookups: { account: { by: 'name' } }, when: '$exists(`E-mail`) and `E-mail` != ""' },
  ],
};

// From the file: a row whose e-mail is none is refused whole; a row without one makes no contact.
const refused = rows.filter((r) => r[2] !== '' && !r[2]!.includes('@'));
const kept = rows.filter((r) => !refused.includes(r));
const clients = new Set(kept.map((r) => r[0]));
const withEmail = kept.filter((r) => r[2] !== '');
const line = (entity: string, c: { created: number; updated: number; unchanged: number; skipped: number }) => `  ${entity}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped`;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-import-targets-'));
  dataDir = path.join(work, 'data');
  await writeFile(path.join(work, 'entities.json'), JSON.stringify(entities));
  await writeFile(path.join(work, 'mapping.json'), JSON.stringify(mapping));
  await writeFile(path.join(work, 'clients.csv'), ['Client,Contact,E-mail', ...rows.map((r) => r.join(','))].join('\n') + '\n');
  const applied = await crm(['meta', 'apply', path.join(work, 'entities.json')]);
  expect(applied.code, applied.out).toBe(0);
}, 120_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('crm import with two targets', () => {
  it('reports each entity on its own line, in a dry run and in the import', async () => {
    const args = ['import', path.join(work, 'clients.csv'), '--mapping', path.join(work, 'mapping.json'), '--no-progress'];
    const expected = [
      line('account', { created: clients.size, updated: 0, unchanged: kept.length - clients.size, skipped: 0 }),
      line('contact', { created: withEmail.length, updated: 0, unchanged: 0, skipped: kept.length - withEmail.length }),
    ];
    for (const mode of ['dryRun', 'validOnly']) {
      const run = await crm([...args, '--mode', mode]);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain(`${rows.length} rows, ${clients.size + withEmail.length} created, 0 updated, ${kept.length - clients.size} unchanged, ${refused.length} rejected`);
      // Right under the headline, in the mapping's order.
      const lines = run.out.split('\n');
      const headline = lines.findIndex((l) => / rows, \d+ created/.test(l));
      expect(lines.slice(headline + 1, headline + 3), run.out).toEqual(expected);
    }
  }, 120_000);

  it('a re-run counts every record of each entity unchanged', async () => {
    const run = await crm(['import', path.join(work, 'clients.csv'), '--mapping', path.join(work, 'mapping.json'), '--no-progress', '--mode', 'validOnly']);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(line('account', { created: 0, updated: 0, unchanged: kept.length, skipped: 0 }));
    expect(run.out).toContain(line('contact', { created: 0, updated: 0, unchanged: withEmail.length, skipped: kept.length - withEmail.length }));
  }, 120_000);

  it('tells two targets of one entity apart by their place in the mapping', async () => {
    // Each row names a client and the group it belongs to: both are accounts.
    const pairs = [['Hill Co', 'Summit Group'], ['Iris Ltd', 'Summit Group'], ['Jade Inc', 'Jade Inc']];
    await writeFile(path.join(work, 'groups.csv'), ['Client,Group', ...pairs.map((p) => p.join(','))].join('\n') + '\n');
    await writeFile(path.join(work, 'groups.json'), JSON.stringify({ name: 'groups', targets: [{ entity: 'account', key: ['name'], columns: { name: 'Group' } }, { entity: 'account', key: ['name'], columns: { name: 'Client' } }] }));
    const run = await crm(['import', path.join(work, 'groups.csv'), '--mapping', path.join(work, 'groups.json'), '--no-progress', '--mode', 'validOnly']);
    expect(run.code, run.out).toBe(0);
    // Rows are written in order, the group before its client: a name met before is unchanged.
    const seen = new Set<string>();
    const counts = [0, 1].map(() => ({ created: 0, updated: 0, unchanged: 0, skipped: 0 }));
    for (const pair of pairs) for (const [target, name] of [[0, pair[1]!], [1, pair[0]!]] as const) {
      if (seen.has(name)) counts[target]!.unchanged++;
      else counts[target]!.created++;
      seen.add(name);
    }
    expect(run.out).toContain(line('account (target 1)', counts[0]!));
    expect(run.out).toContain(line('account (target 2)', counts[1]!));
  }, 120_000);

  it('a mistake in a mapping file is named by its pointer in that file', async () => {
    await writeFile(path.join(work, 'bad.json'), JSON.stringify({ name: 'bad', targets: [{ entity: 'account', key: ['name'], columns: { name: 'Client' } }, { entity: 'contact', key: ['email'], columns: { name: 'Contact', email: 'E-mail' }, blankCells: 'wipe' }] }));
    const run = await crm(['import', path.join(work, 'clients.csv'), '--mapping', path.join(work, 'bad.json'), '--no-progress', '--mode', 'dryRun']);
    expect(run.code).not.toBe(0);
    // The file holds the mapping itself: no `/mapping` before the pointer, as the API's body has.
    expect(run.out).toMatch(/^ {2}\/targets\/1\/blankCells: /m);
  }, 120_000);
});
