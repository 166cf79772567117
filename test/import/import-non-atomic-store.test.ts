// An import on a store that cannot roll back (a standalone MongoDB server: each write atomic on its
// own, a failed transaction keeps what it wrote). A batch that failed part-way — a unique clash in a
// multi-row insert, a row whose second target failed after its first was written — must not be run
// again over rows it already wrote. Here the real SQLite store is wrapped so that every write commits
// at once (as MongoDB without a replica set does); the same import on the real, atomic store is the
// reference: the same records, counts and rejected rows.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { importServices } from '../../engine/import/import-module.ts';
import { importRowsCollection, type ImportJob } from '../../engine/import/import-store.ts';
import { runImportJob } from '../../engine/import/run-import.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { openEngine } from '../../engine/server/start-server.ts';
import { withoutRollback } from '../support/non-atomic-store.ts';

const firm = { kind: 'entity', name: 'firm', label: { en: 'Firm', zh: '公司' }, titleField: 'name', fields: { name: { type: 'text', required: true, unique: true } } };
const person = {
  kind: 'entity', name: 'person', label: { en: 'Person', zh: '人员' }, titleField: 'name',
  fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, email: { type: 'email', unique: true }, firm: { type: 'lookup', to: 'firm' } },
};
const peopleOnly = { name: 'people', targets: [{ entity: 'person', key: ['code'], columns: { code: 'code', name: 'name', email: 'email' } }] };
const firmsAndPeople = {
  name: 'firms-and-people',
  targets: [
    { entity: 'firm', key: ['name'], columns: { name: 'firm' } },
    { entity: 'person', key: ['code'], columns: { code: 'code', name: 'name', email: 'email', firm: 'firm' }, lookups: { firm: { by: 'name' } } },
  ],
};

/** Every 37th row takes the e-mail of the row 5 before it under a new code: a unique clash when written. */
const clashes = (i: number) => i % 37 === 0;
function peopleCsv(rows: number, firmOf?: (i: number) => string): string {
  const lines = [`code,name,email${firmOf ? ',firm' : ''}`];
  for (let i = 1; i <= rows; i++) lines.push(`P${i},Person ${i},${clashes(i) ? `p${i - 5}` : `p${i}`}@example.com${firmOf ? `,${firmOf(i)}` : ''}`);
  return lines.join('\n') + '\n';
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-import-non-atomic-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function importInto(name: string, args: { rollback: boolean; csv: string; mapping: unknown }) {
  const file = path.join(work, `${name}.csv`);
  await writeFile(file, args.csv);
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const engine = await openEngine({ dataDir: path.join(work, name), clock, env: {} });
  try {
    const { runtime, policy } = engine.services;
    await runtime.apply(runtime.prepare([firm, person].map((document) => ({ kind: 'entity', name: document.name, document: document as never }))), { by: 'test' });
    const store = args.rollback ? engine.services.store : withoutRollback(engine.services.store);
    const ctx: RequestContext = { principal: systemPrincipal('test'), locale: 'en', clock, model: runtime.model, policy };
    const { id } = await importServices.get(engine.services)!.startJob({ ctx, file: { path: file, name: 'people.csv' }, mapping: args.mapping, mode: 'validOnly', history: false });
    const job = (await runImportJob({ store, clock, policy, events: engine.services.records.events, model: () => runtime.model, pipelineAboveBytes: Number.POSITIVE_INFINITY }, id)) as ImportJob;
    const all = (collection: string) => engine.services.store.find(collection, { filter: { kind: 'true' }, sort: [], limit: 100_000 });
    const firms = new Map((await all('firm')).map((r) => [r.id, String(r.data['name'])]));
    const people = (await all('person')).map((r) => ({ code: r.data['code'], email: r.data['email'], firm: firms.get(String(r.data['firm'])), version: r.version })).sort((a, b) => String(a.code).localeCompare(String(b.code)));
    const rejected = (await all(importRowsCollection.name)).map((r) => r.data as { line: number; issues: { field?: string }[] }).map(({ line, issues }) => ({ line, fields: issues.map((i) => i.field) })).sort((a, b) => a.line - b.line);
    return { job, people, firms: [...firms.values()].sort(), rejected };
  } finally {
    await engine.close();
  }
}

describe('import on a store that cannot roll back', () => {
  it('a unique clash inside a batch: every other row written once, the clashing rows rejected, as on a store that rolls back', { timeout: 120_000 }, async () => {
    const rows = 1600; // batches of 500 and 1,000, then the rest
    const csv = peopleCsv(rows);
    const reference = await importInto('people-atomic', { rollback: true, csv, mapping: peopleOnly });
    const standalone = await importInto('people-standalone', { rollback: false, csv, mapping: peopleOnly });
    const clashing = Array.from({ length: rows }, (_, k) => k + 1).filter(clashes);
    // Counted from how the file was made, not from either run.
    expect(reference.rejected.map((r) => r.line)).toEqual(clashing.map((i) => i + 1));
    expect(reference.people).toHaveLength(rows - clashing.length);
    expect(standalone.job.status).toBe('done');
    expect(standalone.job.counts).toEqual(reference.job.counts);
    expect(standalone.rejected).toEqual(reference.rejected);
    expect(standalone.people).toEqual(reference.people);
  });

  it('a row whose second target fails after its first was written: only that row is rejected, no other row is written twice', { timeout: 120_000 }, async () => {
    const rows = 1200;
    // A clashing row brings a firm of its own (written before its person clashes); the others share 30 firms.
    const csv = peopleCsv(rows, (i) => (clashes(i) ? `Own firm ${i}` : `Firm ${i % 30}`));
    const reference = await importInto('two-atomic', { rollback: true, csv, mapping: firmsAndPeople });
    const standalone = await importInto('two-standalone', { rollback: false, csv, mapping: firmsAndPeople });
    const clashing = Array.from({ length: rows }, (_, k) => k + 1).filter(clashes);
    expect(reference.rejected.map((r) => r.line)).toEqual(clashing.map((i) => i + 1));
    expect(reference.firms).toHaveLength(30);
    expect(standalone.job.status).toBe('done');
    expect(standalone.rejected).toEqual(reference.rejected);
    expect(standalone.people).toEqual(reference.people);
    expect(standalone.job.counts).toEqual(reference.job.counts);
    // What a store without rollback cannot take back: the clashing rows' own firms (written, not counted).
    expect(standalone.firms).toEqual([...reference.firms, ...clashing.map((i) => `Own firm ${i}`)].sort());
  });
});
