// bench/object-spread: why a record write builds its values with kernel/extend-values.ts and not
// `{ ...given, createdAt, … }`. V8 (Node 20) gives an object made by a spread a map outside the
// transition tree, so each property added after it makes a new map. Records as an import's rows
// arrive (JSON.parse of six fields), the system fields added as insertNewRecord adds them.
//
//   npx tsx bench/object-spread.ts

import { extendValues } from '../engine/kernel/extend-values.ts';

const rows = Array.from({ length: 100_000 }, (_, i) => JSON.parse(JSON.stringify({ code: `C${i}`, name: `Person ${i}`, email: `p${i}@example.com`, phone: '+442079460001', company: `Company ${i % 997}`, amount: i % 10_000 })) as Record<string, unknown>);
const now = new Date().toISOString();
const system = () => ({ createdAt: now, updatedAt: now, createdBy: 'u1', updatedBy: 'u1', owner: 'u1' });

const variants: Record<string, (row: Record<string, unknown>) => Record<string, unknown>> = {
  '{ ...row, createdAt, … } (before)': (row) => ({ ...row, createdAt: now, updatedAt: now, createdBy: 'u1', updatedBy: 'u1', owner: 'u1' }),
  '{ ...row } then one field assigned': (row) => {
    const copy = { ...row };
    copy['total'] = 1;
    return copy;
  },
  'extendValues(row, system)': (row) => extendValues(row, system()),
  'extendValues(row) then one field assigned': (row) => {
    const copy = extendValues(row);
    copy['total'] = 1;
    return copy;
  },
};

const lines = ['| how | µs per record (median of 5) | JSON.stringify of the result, µs |', '|---|---:|---:|'];
for (const [name, make] of Object.entries(variants)) {
  const times: number[] = [];
  let made: Record<string, unknown>[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    made = rows.map(make);
    times.push(((performance.now() - started) * 1000) / rows.length);
  }
  const started = performance.now();
  for (const record of made) JSON.stringify(record);
  const stringify = ((performance.now() - started) * 1000) / made.length;
  times.sort((a, b) => a - b);
  lines.push(`| ${name} | ${times[2]!.toFixed(2)} | ${stringify.toFixed(2)} |`);
}
console.log(lines.join('\n'));
