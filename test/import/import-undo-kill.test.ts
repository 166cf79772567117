// An import's undo killed with SIGKILL part-way, twice, ends as an uninterrupted one: the real
// `crm import-undo` runs as a child process and is killed once its own progress lines say some pages
// committed (no sleeping); run again, it goes on from there (and is killed again); then a server
// started on the data folder takes it up as it starts and finishes it. Nothing is undone twice: a
// record deleted a second time would be counted "already gone" (missing), and the deleted ones would
// add up to more than the import made.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { undoPageSize } from '../../engine/import/undo-import.ts';
import { finished, startCrm, type CrmChild } from '../support/crm-cli.ts';
import { startTestServer } from '../support/test-server.ts';

const entity = { kind: 'entity', name: 'lead', label: { en: 'Lead', zh: '线索' }, titleField: 'name', fields: { code: { type: 'text', required: true }, name: { type: 'text', required: true } } };
const mapping = { name: 'leads', targets: [{ entity: 'lead', columns: { code: 'code', name: 'name' } }] };
const rows = 20 * undoPageSize;

/** Killed once `pages` more progress lines came; answers the records it said were dealt with by then. */
async function killedAfter(child: CrmChild, pages: number): Promise<number> {
  await child.waitFor((out) => (out.match(/^progress /gm) ?? []).length >= pages);
  child.kill();
  expect((await child.exit).signal).toBe('SIGKILL');
  expect(child.out).not.toMatch(/undone —/);
  return Number([...child.out.matchAll(/^progress (\d+) of (\d+) records/gm)].at(-1)![1]);
}

describe('crm import-undo killed with SIGKILL, run again, then taken up by a server', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-undo-kill-'));
    await writeFile(path.join(work, 'lead.json'), JSON.stringify(entity));
    await writeFile(path.join(work, 'leads.json'), JSON.stringify(mapping));
    await writeFile(path.join(work, 'leads.csv'), ['code,name', ...Array.from({ length: rows }, (_, i) => `L${i + 1},Lead ${i + 1}`)].join('\n') + '\n');
  }, 120_000);
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it('ends with every record the import made deleted once', { timeout: 600_000 }, async () => {
    const dataDir = path.join(work, 'data');
    await mkdir(dataDir);
    await finished(startCrm(dataDir, ['meta', 'apply', path.join(work, 'lead.json')]));
    const imported = await finished(startCrm(dataDir, ['import', path.join(work, 'leads.csv'), '--mapping', path.join(work, 'leads.json'), '--mode', 'validOnly', '--no-progress']));
    const job = /^job (\S+): done/m.exec(imported)![1]!;

    const first = startCrm(dataDir, ['import-undo', job, '--no-progress']);
    const firstDone = await killedAfter(first, 2);
    expect(first.out).toMatch(new RegExp(`^progress \\d+ of ${rows} records`, 'm'));
    // (Its first line is the count of records, before any page; the second, after its first page.)
    expect(firstDone).toBeGreaterThanOrEqual(undoPageSize);
    expect(firstDone).toBeLessThan(rows);

    // Asked again: it goes on after what committed (its progress counts those too).
    const second = startCrm(dataDir, ['import-undo', job, '--no-progress']);
    const secondDone = await killedAfter(second, 2);
    expect(Number(/^progress (\d+) of/m.exec(second.out)![1])).toBeGreaterThanOrEqual(firstDone);
    expect(secondDone).toBeGreaterThan(firstDone);
    expect(secondDone).toBeLessThan(rows);

    // A server on the data folder takes it up as it starts.
    const server = await startTestServer({ dataDir });
    try {
      await importServices.get(server.server.services)!.idle();
      const after = await server.get<any>(`/api/import/jobs/${job}`);
      expect(after.body).toMatchObject({ status: 'undone', undo: { total: rows, done: rows, deleted: rows, missing: 0, refused: 0, changedSince: 0 } });
      const report = await server.get<any>(`/api/import/jobs/${job}/undo`);
      expect(report.body).toEqual({ status: 'undone', dryRun: false, deleted: rows, restored: 0, missing: 0, changedSince: [], refused: [] });
      expect((await server.get<any>('/api/data/lead?total=1&limit=1')).body.total).toBe(0);
      // Once undone, the CLI says so and changes nothing.
      const again = startCrm(dataDir, ['import-undo', job, '--no-progress']);
      expect((await again.exit).code).toBe(1);
      expect(again.out).toContain('The import was undone already');
    } finally {
      await server.close();
    }
  });
});
