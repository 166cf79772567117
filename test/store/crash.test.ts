// Durability: a child process inserts records and prints each id once its transaction resolved;
// the parent kills it with SIGKILL at random points, reopens the store and expects every printed id
// and an intact database. Also: two processes writing to one data folder at once.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFileName, openSqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';

const fixture = join(import.meta.dirname, 'fixtures', 'insert-loop.ts');
const directories: string[] = [];

function freshDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'crm-crash-'));
  directories.push(directory);
  return directory;
}

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

interface ChildRun {
  printed: string[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the insert loop; kills it with SIGKILL as soon as `killAfter` ids have been printed. */
function runInsertLoop(directory: string, options: { killAfter?: number; count?: number; onFirstId?: () => void }): Promise<ChildRun> {
  const args = ['--import', 'tsx', fixture, directory, ...(options.count === undefined ? [] : [String(options.count)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const printed: string[] = [];
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!; // a partial line is not a printed id
    if (printed.length === 0 && lines.length > 0) options.onFirstId?.();
    printed.push(...lines);
    if (options.killAfter !== undefined && printed.length >= options.killAfter && child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ printed, signal, code, stderr }));
  });
}

function integrityCheck(directory: string): string {
  const db = new Database(join(directory, databaseFileName));
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

describe('embedded store durability', () => {
  it('keeps every acknowledged insert across 20 SIGKILLs at random moments', async () => {
    const directory = freshDirectory();
    const acknowledged: string[] = [];
    for (let round = 0; round < 20; round += 1) {
      const killAfter = 1 + Math.floor(Math.random() * 40);
      const run = await runInsertLoop(directory, { killAfter });
      expect(run.signal, `round ${round}: the child ended on its own\n${run.stderr}`).toBe('SIGKILL');
      expect(run.printed.length).toBeGreaterThanOrEqual(killAfter);
      acknowledged.push(...run.printed);

      expect(integrityCheck(directory)).toBe('ok');
      const store = await openSqliteStore({ directory });
      try {
        const missing = [];
        for (const id of acknowledged) if ((await store.get('crashProbe', id)) === undefined) missing.push(id);
        expect(missing, `round ${round}: acknowledged but lost`).toEqual([]);
        const stored = await store.count('crashProbe', { kind: 'true' });
        // At most one insert per run can have committed without being printed before the kill.
        expect(stored).toBeGreaterThanOrEqual(acknowledged.length);
        expect(stored).toBeLessThanOrEqual(acknowledged.length + round + 1);
      } finally {
        await store.close();
      }
    }
  }, 180_000);

  it('lets two processes write to one data folder at the same time', async () => {
    const directory = freshDirectory();
    const store = await openSqliteStore({ directory });
    try {
      await store.syncCollection({ name: 'crashProbe', indexes: [{ name: 'bySeq', keys: [{ path: ['seq'], direction: 1 }], unique: true }] });
      let childWriting: () => void = () => undefined;
      const firstChildId = new Promise<void>((resolve) => (childWriting = resolve));
      const child = runInsertLoop(directory, { count: 300, onFirstId: () => childWriting() });
      await firstChildId;
      for (let i = 0; i < 150; i += 1) {
        await store.transaction(async (tx) => {
          const seq = await tx.nextSequence('crashProbe');
          await tx.insert('crashProbe', { id: `parent-${i}`, version: 1, revision: 0, data: { seq } });
        });
      }
      const run = await child;
      expect(run.code, run.stderr).toBe(0);
      expect(run.printed).toHaveLength(300);
      expect(await store.count('crashProbe', { kind: 'true' })).toBe(450);
      // The unique index on seq plus max = count: every number handed out exactly once across both processes.
      expect(await store.aggregate('crashProbe', { op: 'max', path: ['seq'], filter: { kind: 'true' } })).toBe(450);
      // Whether the two writers interleave is up to the scheduler (on an idle machine the child may
      // finish first); what must hold either way is above: nothing lost, no number handed out twice.
    } finally {
      await store.close();
    }
  }, 60_000);
});
