// bench/duplicate-scan: the duplicate scan (engine/quality/find-duplicate-clusters.ts) over N contacts
// of which every `share`-th holds the same placeholder e-mail (migrated data: "unknown@…" on thousands
// of records) — one cluster of N/share records under a normalized rule. The records are inserted
// straight through the store port; the scan is timed alone (wall and process CPU), with the load average.
//
//   npx tsx bench/duplicate-scan.ts --sizes 20000,100000 [--share 2]

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '../engine/kernel/ids.ts';
import { findDuplicateClusters } from '../engine/quality/find-duplicate-clusters.ts';
import { openEngine } from '../engine/server/start-server.ts';
import { loadAverage } from './lib/machine-load.ts';

const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, email: { type: 'email' } },
  duplicateRules: { sameEmail: { match: ['email'], method: 'normalized' } },
};

async function scan(size: number, share: number): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-scan-'));
  const engine = await openEngine({ dataDir, env: {} });
  try {
    const { runtime, store } = engine.services;
    await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'contact', document: contact as never }]), { by: 'bench' });
    for (let start = 0; start < size; start += 5000) {
      await store.transaction(async (tx) => {
        for (let i = start; i < Math.min(size, start + 5000); i++) await tx.insert('contact', { id: newId(), version: 1, revision: runtime.model.revision, data: { name: `Person ${i}`, email: i % share === 0 ? 'unknown@example.com' : `p${i}@example.com` } });
      });
    }
    const entity = runtime.model.entities.get('contact')!;
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const clusters = await findDuplicateClusters({ reader: store, entity, rules: entity.duplicateRules, scope: { kind: 'true' }, locale: 'en' });
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const biggest = Math.max(0, ...clusters.map((c) => c.ids.length));
    return `| ${size.toLocaleString('en')} | ${biggest.toLocaleString('en')} | ${wall.toFixed(2)} | ${((cpu.user + cpu.system) / 1e6).toFixed(2)} | ${loadAverage()} |`;
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizes = (option('--sizes') ?? '20000,100000').split(',').map(Number);
const share = Number(option('--share') ?? 2);
const lines = ['| records | largest cluster | wall s | CPU s | load |', '|---:|---:|---:|---:|---|'];
for (const size of sizes) lines.push(await scan(size, share));
console.log(lines.join('\n'));
