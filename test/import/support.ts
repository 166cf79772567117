// Helpers for import tests: upload a file, run a job to its end, read the per-row report.

import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import type { TestServer } from '../support/test-server.ts';

export async function upload(server: TestServer, file: string, name: string): Promise<string> {
  const res = await fetch(`${server.url}/api/import/uploads?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'text/csv' },
    body: await readFile(file),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { upload: string }).upload;
}

/** Starts a job and waits for the server to finish it (no sleeping: the service says when it is idle). */
export async function runJob(server: TestServer, body: { upload: string; mapping: unknown; mode: string; history?: boolean }) {
  const started = await server.post<{ id: string }>('/api/import/jobs', body);
  if (started.status !== 202) throw new Error(`job refused: ${started.status} ${JSON.stringify(started.body)}`);
  await importServices.get(server.server.services)!.idle();
  const job = await server.get<any>(`/api/import/jobs/${started.body.id}`);
  expect(job.status).toBe(200);
  return job.body;
}

export async function rejectedRows(server: TestServer, job: string) {
  const rows: any[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await server.get<any>(`/api/import/jobs/${job}/rows?limit=1000${after ? `&after=${after}` : ''}`);
    rows.push(...page.body.items);
    if (!page.body.next) return rows;
    after = page.body.next;
  }
}

/** A plain reading of a CSV without quotes, any line ending (the tests' own count, independent of csv-parse). */
export async function plainCsv(file: string): Promise<Record<string, string>[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r\n|\n|\r/).filter((l) => l !== '');
  const header = lines[0]!.split(',');
  return lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])));
}

/**
 * Undoes a job as a client does: POST …/undo answers 202 at once with the job undoing; the test then
 * waits for the server to finish it (the service says when it is idle, no sleeping) and reads the job
 * and the undo's whole report.
 */
export async function undoJob(server: TestServer, id: string, headers: Record<string, string> = {}) {
  const started = await server.post<any>(`/api/import/jobs/${id}/undo`, undefined, headers);
  if (started.status !== 202) return { started, job: undefined, report: undefined };
  expect(started.body).toMatchObject({ id, status: 'undoing', undo: { by: expect.any(String) } });
  await importServices.get(server.server.services)!.idle();
  const job = await server.get<any>(`/api/import/jobs/${id}`, headers);
  expect(job.status).toBe(200);
  const report = await server.get<any>(`/api/import/jobs/${id}/undo`, headers);
  expect(report.status, JSON.stringify(report.body)).toBe(200);
  return { started, job: job.body, report: report.body };
}
