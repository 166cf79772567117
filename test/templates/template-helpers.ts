// Helpers for the template lifecycle suites: the fixture folders, a full snapshot of metadata,
// records and template state over the API (to prove a refused step changed nothing), and a
// writer for small templates a test makes up in a temporary folder.

import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ApiClient, ApiResponse } from '../support/test-server.ts';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/templates');
export const deskV1 = path.join(fixturesDir, 'desk-v1');
export const deskV2 = path.join(fixturesDir, 'desk-v2');

/** The version a bundled industry template ships now (read from its manifest, not repeated in tests). */
export function bundledVersion(template: string): string {
  const manifest = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../industry-templates', template, 'template.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

const kinds = ['entities', 'forms', 'views', 'workflows', 'roles', 'dashboards'];

/** Every record of an entity, oldest first, through keyset pages. */
export async function allRecords(client: ApiClient, entity: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const res = await client.get(`/api/data/${entity}?limit=200&sort=id${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status === 404) return out;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...(res.body.items as Record<string, unknown>[]));
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

/** The whole observable state: effective metadata with its layers, every record of every entity listed, templates. */
export async function snapshot(client: ApiClient, alsoEntities: string[] = []) {
  const meta: Record<string, unknown> = {};
  for (const kind of kinds) {
    const res = await client.get(`/api/meta/${kind}`);
    expect(res.status).toBe(200);
    meta[kind] = res.body.items;
  }
  const entities = [...new Set([...(meta['entities'] as { name: string }[]).map((e) => e.name), ...alsoEntities])].sort();
  const records: Record<string, unknown> = {};
  for (const entity of entities) records[entity] = await allRecords(client, entity);
  const templates = (await client.get('/api/templates')).body;
  const health = (await client.get('/api/health')).body as { revision: number };
  return { revision: health.revision, meta, records, templates };
}

export function expectOk(res: ApiResponse, status = 200): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}

/** A record id (a ULID) that a template can fix in its sample data: prefix + zero-padded number. */
export function sampleId(prefix: string, n: number): string {
  return `01J${prefix}`.padEnd(26 - String(n).length, '0') + String(n);
}

export interface TemplateFiles {
  manifest: Record<string, unknown>;
  items: { kind: string; name: string; [key: string]: unknown }[];
  /** Relative path → content (JSON value, or text written as is). */
  files?: Record<string, unknown>;
}

/** Writes a template package (template.json, metadata/{kind}/{name}.json, other files) into `dir`. */
export async function writeTemplate(dir: string, template: TemplateFiles): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'template.json'), JSON.stringify(template.manifest, null, 2));
  for (const item of template.items) {
    await mkdir(path.join(dir, 'metadata', item.kind), { recursive: true });
    await writeFile(path.join(dir, 'metadata', item.kind, `${item.name}.json`), JSON.stringify(item, null, 2));
  }
  for (const [file, content] of Object.entries(template.files ?? {})) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}
