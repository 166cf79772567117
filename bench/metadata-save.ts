// bench/metadata-save: how long a metadata save takes — PUT /api/meta/entities/{name} of one
// changed entity (a field's label and a new field's bounds), over HTTP, on a real server with the
// default modules, at 10, 50 and 150 entities × 30 fields (each entity with a lookup to the one
// before it, a formula through that lookup, a rule, a list view and a form) — beside what the save
// replaces: checking and compiling the whole model (checkSet + compileModel, in this process).
// Run: npx tsx bench/metadata-save.ts [--sizes 10,50,150] [--saves 30]

import { checkSet } from '../engine/kinds/check-metadata.ts';
import { MetadataSet, type MetadataDocument } from '../engine/metadata/metadata-set.ts';
import { compileModel } from '../engine/compile/compile-model.ts';
import { startTestServer } from '../test/support/test-server.ts';
import { loadAverage } from './lib/machine-load.ts';
import { ms, summarize } from './lib/stats.ts';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}
const sizes = option('sizes', '10,50,150').split(',').map(Number).filter((n) => n > 0);
const saves = Number(option('saves', '30'));

const label = (en: string) => ({ en, zh: en });

/** Entity i of n: 30 fields of the common types, a lookup to entity i-1, a formula and a rule. */
export function benchEntity(i: number, variant = 0): MetadataDocument {
  const fields: Record<string, unknown> = { name: { type: 'text', required: true, label: label(`Name ${variant}`) } };
  const types = ['text', 'integer', 'number', 'date', 'boolean', 'email', 'currency', 'textarea'];
  for (let f = 1; f < 26; f++) {
    const type = types[f % types.length]!;
    fields[`f${f}`] = type === 'currency' ? { type, currency: 'USD' } : { type, label: label(`Field ${f}`) };
  }
  fields['stage'] = { type: 'picklist', options: { open: { label: label('Open') }, won: { label: label('Won') }, lost: { label: label('Lost') } } };
  fields['total'] = { type: 'formula', returns: 'number', expression: 'f2 * 2 + f9' };
  if (i > 0) {
    fields['parent'] = { type: 'lookup', to: `e${i - 1}` };
    fields['parentName'] = { type: 'formula', returns: 'text', expression: 'parent.name' };
  } else {
    fields['f26'] = { type: 'text' };
    fields['f27'] = { type: 'text' };
  }
  if (variant > 0) fields['extra'] = { type: 'integer', min: 0, max: variant };
  return {
    kind: 'entity', name: `e${i}`, label: label(`Entity ${i}`), titleField: 'name', fields,
    rules: { positive: { when: 'f1 < 0', field: 'f1', message: label('must not be negative') } },
  };
}

function benchModel(n: number): MetadataDocument[] {
  const docs: MetadataDocument[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(benchEntity(i));
    docs.push({ kind: 'view', name: `e${i}List`, entity: `e${i}`, label: label('All'), type: 'list', columns: { name: { order: 10 }, f2: { order: 20 }, stage: { order: 30 } }, filter: { f2: { $gt: 0 } }, sort: '-f3,name' });
    docs.push({ kind: 'form', name: `e${i}Form`, entity: `e${i}`, label: label('Main'), sections: { main: { order: 10, fields: { name: { order: 10 }, f1: { order: 20 }, f2: { order: 30, visibleWhen: 'f1 > 3' } } } } });
  }
  return docs;
}

async function run(n: number): Promise<string> {
  const server = await startTestServer();
  try {
    const docs = benchModel(n);
    let started = performance.now();
    const applied = await server.post('/api/meta/apply', docs);
    if (applied.status !== 200) throw new Error(`apply failed: ${applied.status} ${JSON.stringify(applied.body).slice(0, 500)}`);
    const applyMs = performance.now() - started;

    const target = Math.floor(n / 2);
    const samples: number[] = [];
    for (let s = 1; s <= saves; s++) {
      started = performance.now();
      const res = await server.put(`/api/meta/entities/e${target}`, benchEntity(target, s));
      samples.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`save ${s} failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    }

    // What a save used to do for the whole model: check every document, compile every entity.
    const set = new MetadataSet(server.server.runtime.model.set.all());
    const full: number[] = [];
    for (let s = 0; s < Math.max(5, Math.floor(saves / 3)); s++) {
      started = performance.now();
      const issues = checkSet(set);
      compileModel(set, 1);
      full.push(performance.now() - started);
      if (issues.length > 0) throw new Error(`the bench model has issues: ${JSON.stringify(issues).slice(0, 300)}`);
    }
    const save = summarize(samples);
    const whole = summarize(full);
    return `| ${n} × 30 | ${ms(applyMs)} | ${ms(save.p50)} | ${ms(save.p95)} | ${ms(whole.p50)} | ${ms(whole.p95)} | ${save.n} / ${whole.n} |`;
  } finally {
    await server.close();
  }
}

const rows: string[] = [];
const loadBefore = loadAverage();
for (const n of sizes) rows.push(await run(n));
process.stdout.write(
  [
    `Metadata save, ${new Date().toISOString()}; load average before ${loadBefore}, after ${loadAverage()}`,
    '',
    '| entities × fields | first apply (ms) | PUT one entity p50 (ms) | PUT p95 (ms) | full check + compile p50 (ms) | full p95 (ms) | samples (save / full) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
