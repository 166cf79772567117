// Small helpers shared by the API suites: the error shape, metadata writes, a seeded PRNG.

import { expect } from 'vitest';
import type { ApiClient, ApiResponse } from '../support/test-server.ts';
import { seededRandom } from '../support/seeded-random.ts';

export { seededRandom };

/** Detail entries of the one error shape `{ error: { code, message, details: [{ path, message }] } }`. */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

/** Asserts the one error shape and returns its details. */
export function expectError(res: ApiResponse, status: number, code?: string): ErrorDetail[] {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type') ?? '').toContain('application/json');
  const error = (res.body as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error;
  expect(error, JSON.stringify(res.body)).toBeDefined();
  expect(typeof error!.code).toBe('string');
  expect(typeof error!.message).toBe('string');
  expect((error!.message as string).length).toBeGreaterThan(0);
  expect(Array.isArray(error!.details)).toBe(true);
  for (const detail of error!.details as ErrorDetail[]) {
    expect(typeof detail.path).toBe('string');
    // Every path is a JSON pointer: empty (the whole input) or starting with a slash.
    expect(detail.path === '' || detail.path.startsWith('/'), detail.path).toBe(true);
    expect(typeof detail.message).toBe('string');
  }
  if (code !== undefined) expect(error!.code).toBe(code);
  return error!.details as ErrorDetail[];
}

/** The sorted, distinct pointers of an error response. */
export function errorPaths(res: ApiResponse): string[] {
  const details = ((res.body as { error?: { details?: ErrorDetail[] } }).error?.details ?? []).map((d) => d.path);
  return [...new Set(details)].sort();
}

/** Applies metadata documents as one revision and fails loudly when refused. */
export async function applyMetadata(client: ApiClient, documents: unknown[]): Promise<number> {
  const res = await client.post('/api/meta/apply', documents);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as { revision: number }).revision;
}

export async function currentRevision(client: ApiClient): Promise<number> {
  const res = await client.get('/api/health');
  expect(res.status).toBe(200);
  return (res.body as { revision: number }).revision;
}

/** Creates a record and fails loudly when refused. */
export async function createRecord<T = Record<string, any>>(client: ApiClient, entity: string, values: Record<string, unknown>): Promise<T & { id: string; version: number; revision: number }> {
  const res = await client.post(`/api/data/${entity}`, values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}


export function query(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) search.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  return `?${search.toString()}`;
}
