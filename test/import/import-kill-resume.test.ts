// An import killed with SIGKILL in the middle and resumed ends with exactly the records of an
// uninterrupted run: the real `crm import` runs as a child process and is killed once its own
// progress output says some batches committed (no sleeping); `crm import --resume <job>` finishes it.
// The mapping has no key on purpose: a batch written twice would show up as duplicate records.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, startCrm } from '../support/crm-cli.ts';
import { startTestServer } from '../support/test-server.ts';

const entity = {
  kind: 'entity', name: 'lead', label: { en: 'Lead', zh: '线索' }, titleField: 'name',
  fields: {
    code: { type: 'text', required: true },
    name: { type: 'text', required: true },
    score: { type: 'integer', min: 0 },
  },
};
const mapping = { name: 'leads', targets: [{ entity: 'lead', columns: { code: 'code', name: 'name', score: 'score' } }] };
const rows = 6000;
const batch = 500; // run-import.ts commits a batch of 500 rows at a time

/** Generated rows; every 97th has a negative score (refused), so the per-row report is part of the comparison. */
function sourceCsv(): string {
  const lines = ['code,name,score'];
  for (let i = 1; i <= rows; i++) lines.push(`L${i},Lead ${i},${i % 97 === 0 ? -1 : i % 50}`);
  return lines.join('\n') + '\n';
}

/** The records a server on this data folder lists, without what differs between two runs (ids, times). */
async function recordsOf(dataDir: string) {
  const server = await startTestServer({ dataDir });
  try {
    const out: unknown[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await server.get<any>(`/api/data/lead?limit=1000&sort=id${after ? `&filter=${encodeURIComponent(JSON.stringify({ id: { $gt: after } }))}` : ''}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      out.push(...page.body.items.map((r: any) => ({ code: r.code, name: r.name, score: r.score })));
      if (page.body.items.length < 1000) break;
      after = page.body.items[page.body.items.length - 1].id;
    }
    return out;
  } finally {
    await server.close();
  }
}

describe('crm import killed with SIGKILL and resumed', () => {
  let work: string;
  let file: string;
  let mappingFile: string;
  const prepare = async (name: string) => {
    const dataDir = path.join(work, name);
    await mkdir(dataDir);
    await finished(startCrm(dataDir, ['meta', 'apply', path.join(work, 'lead.json')]));
    return dataDir;
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-kill-'));
    file = path.join(work, 'leads.csv');
    mappingFile = path.join(work, 'leads.json');
    await writeFile(file, sourceCsv());
    await writeFile(mappingFile, JSON.stringify(mapping));
    await writeFile(path.join(work, 'lead.json'), JSON.stringify(entity));
  }, 120_000);
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it('ends with exactly the records of an uninterrupted run, none twice', { timeout: 600_000 }, async () => {
    const refused = Array.from({ length: rows }, (_, i) => i + 1).filter((i) => i % 97 === 0).length;

    const whole = await prepare('whole');
    const wholeOut = await finished(startCrm(whole, ['import', file, '--mapping', mappingFile, '--mode', 'validOnly', '--no-progress']));
    expect(wholeOut).toContain(`done — ${rows} rows, ${rows - refused} created, 0 updated, 0 unchanged, ${refused} rejected`);

    const killed = await prepare('killed');
    const first = startCrm(killed, ['import', file, '--mapping', mappingFile, '--mode', 'validOnly', '--no-progress']);
    // Killed once two batches committed (the CLI prints a progress line after each commit).
    await first.waitFor((out) => (out.match(/^progress /gm) ?? []).length >= 2);
    first.kill();
    expect((await first.exit).signal).toBe('SIGKILL');
    expect(first.out).not.toMatch(/: done —/);
    const job = /^job (\S+)$/m.exec(first.out)![1]!;
    const committed = Number(/^progress (\d+) rows/m.exec(first.out)![1]);
    expect(committed).toBeGreaterThanOrEqual(batch);
    expect(committed).toBeLessThan(rows);

    const resumed = await finished(startCrm(killed, ['import', '--resume', job, '--no-progress']));
    expect(resumed).toContain(`job ${job}: done — ${rows} rows, ${rows - refused} created, 0 updated, 0 unchanged, ${refused} rejected`);

    const expected = await recordsOf(whole);
    const actual = await recordsOf(killed);
    expect(expected).toHaveLength(rows - refused);
    expect(actual).toEqual(expected);
    expect(new Set(actual.map((r: any) => r.code)).size).toBe(actual.length);
  });
});
