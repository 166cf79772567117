// Helpers for the industry-template suites: the bundled templates read from disk as plain JSON
// (manifest, items by module, sample files), shared items merged the way the installer merges
// them, installs over the API, record counts, and the sample data's reference date as a clock.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { mergeContributions } from '../../engine/metadata/merge-contributions.ts';
import type { ApiClient, ApiResponse, TestServer, TestUser } from '../support/test-server.ts';

export const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../industry-templates');
export const templateNames = ['retail', 'wholesale', 'services'] as const;
export type TemplateName = (typeof templateNames)[number];

export type Doc = { kind: string; name: string; [key: string]: any };

export interface Manifest {
  name: string;
  version: string;
  title: { en: string; zh: string };
  description: { en: string; zh: string };
  modules: Record<string, { label: any; order?: number; dependsOn?: string[]; enabledByDefault?: boolean; items: Record<string, string[]> }>;
  shares?: Record<string, Record<string, unknown>>;
  sampleData: Record<string, { file: string; count: number }>;
  dashboards?: unknown;
  [key: string]: unknown;
}

export interface Template {
  name: TemplateName;
  manifest: Manifest;
  /** Every item, keyed `kind/name`. */
  items: Map<string, Doc>;
  /** Module → its item keys. */
  moduleItems: Map<string, string[]>;
}

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));

export function readTemplate(name: TemplateName): Template {
  const root = path.join(templatesDir, name);
  const manifest = readJson(path.join(root, 'template.json')) as Manifest;
  const items = new Map<string, Doc>();
  for (const kind of readdirSync(path.join(root, 'metadata'))) {
    for (const file of readdirSync(path.join(root, 'metadata', kind))) {
      const doc = readJson(path.join(root, 'metadata', kind, file)) as Doc;
      items.set(`${doc.kind}/${doc.name}`, doc);
    }
  }
  const moduleItems = new Map(Object.entries(manifest.modules).map(([module, def]) => [module, Object.entries(def.items).flatMap(([kind, names]) => names.map((n) => `${kind}/${n}`))]));
  return { name, manifest, items, moduleItems };
}

/** The modules a module needs, itself included, in module order. */
export function withDependencies(template: Template, modules: string[]): string[] {
  const on = new Set<string>();
  const add = (m: string) => {
    if (on.has(m)) return;
    on.add(m);
    for (const needed of template.manifest.modules[m]!.dependsOn ?? []) add(needed);
  };
  modules.forEach(add);
  return orderedModules(template).filter((m) => on.has(m));
}

export function orderedModules(template: Template): string[] {
  return Object.entries(template.manifest.modules).sort(([a, x], [b, y]) => (x.order ?? 0) - (y.order ?? 0) || a.localeCompare(b)).map(([m]) => m);
}

/** The documents of some modules of several templates, shared items merged in template order. */
export function documentsOf(parts: { template: Template; modules?: string[] }[]): Doc[] {
  const contributions = new Map<string, Doc[]>();
  for (const { template, modules } of parts) {
    for (const module of modules ?? orderedModules(template)) {
      for (const key of template.moduleItems.get(module)!) contributions.set(key, [...(contributions.get(key) ?? []), template.items.get(key)!]);
    }
  }
  return [...contributions.values()].map((docs) => (docs.length === 1 ? docs[0]! : (mergeContributions(docs) as Doc)));
}

export function sampleRecords(template: Template, entity: string): Record<string, unknown>[] {
  const { file } = template.manifest.sampleData[entity]!;
  const text = readFileSync(path.join(templatesDir, template.name, file), 'utf8');
  return file.endsWith('.ndjson') ? text.split('\n').filter(Boolean).map((l) => JSON.parse(l)) : JSON.parse(text);
}

/**
 * Entities whose sample files must hold at least 200 records: the transactional and master data
 * of each template. Reference data (stores, campaigns, price lists, teams, territories) is small
 * on purpose, as in a real business.
 */
export const mainEntities: Record<TemplateName, string[]> = {
  retail: ['member', 'product', 'purchase', 'purchaseLine', 'interaction', 'returnRequest', 'careTask', 'coupon'],
  wholesale: ['account', 'contact', 'interaction', 'product', 'salesOrder', 'orderLine', 'priceListItem', 'opportunity'],
  services: ['account', 'contact', 'interaction', 'contract', 'serviceCase', 'satisfactionSurvey', 'fieldVisit', 'repairOrder', 'careCall'],
};

/** The sample data is "as of" 2026-11-01; the suites start the day after, Monday 09:00 in Beijing. */
export const sampleClockStart = '2026-11-02T01:00:00.000Z';
export const sampleClock = (): ManualClock => new ManualClock(sampleClockStart);

export function expectStatus(res: ApiResponse, status: number): void {
  expect(res.status, JSON.stringify(res.body).slice(0, 4000)).toBe(status);
}

/**
 * True when a refusal is only JSONata's wall-clock guardrail (D1012, 100 ms) tripping on a
 * trivial formula: on a machine whose CPUs are oversubscribed (load average far above the core
 * count, e.g. while other suites run) the process can be descheduled for longer than that in the
 * middle of an evaluation. Reported to the engine; never a rule rejection.
 */
export function onlyExpressionTimeouts(res: ApiResponse): boolean {
  const details = (res.body as { error?: { details?: { code?: string }[] } })?.error?.details ?? [];
  return res.status === 400 && details.length > 0 && details.every((d) => d.code === 'D1012');
}

/** Installs a bundled template with every module (and its sample data unless told otherwise). */
export async function installTemplate(client: ApiClient, name: TemplateName, options: { sampleData?: boolean; modules?: string[] } = {}) {
  const template = readTemplate(name);
  const body = { sampleData: options.sampleData ?? true, modules: options.modules ?? orderedModules(template) };
  let res = await client.post(`/api/templates/${name}/install`, body);
  // An install is all or nothing, so trying again after a guardrail timeout starts from scratch.
  for (let retry = 1; retry <= 3 && onlyExpressionTimeouts(res); retry++) {
    console.warn(`[industry-templates] install of ${name} refused by the expression wall-clock timeout (${JSON.stringify(res.body.error.details[0])}); retry ${retry}`);
    res = await client.post(`/api/templates/${name}/install`, body);
  }
  expectStatus(res, 201);
  return res.body as { sampleData?: { entity: string; records: number; loaded: number; skipped: number }[]; modules: { name: string; on: boolean }[] };
}

export async function countOf(client: ApiClient, entity: string, filter?: unknown): Promise<number> {
  const query = `?limit=1&total=1${filter ? `&filter=${encodeURIComponent(JSON.stringify(filter))}` : ''}`;
  const res = await client.get(`/api/data/${entity}${query}`);
  expectStatus(res, 200);
  return res.body.total as number;
}

/** The first record matching a filter. */
export async function findOne(client: ApiClient, entity: string, filter: unknown, sort = 'id'): Promise<Record<string, any> | undefined> {
  const res = await client.get(`/api/data/${entity}?limit=1&sort=${sort}&filter=${encodeURIComponent(JSON.stringify(filter))}`);
  expectStatus(res, 200);
  return res.body.items[0];
}

export async function create(client: ApiClient, entity: string, values: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await client.post(`/api/data/${entity}`, values);
  expectStatus(res, 201);
  return res.body;
}

export async function patch(client: ApiClient, entity: string, id: string, values: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await client.patch(`/api/data/${entity}/${id}`, values);
  expectStatus(res, 200);
  return res.body;
}

/** Takes a transition; `expected` 200 (moved) or 202 (approval requested). */
export async function transition(client: ApiClient, entity: string, id: string, name: string, expected = 200, comment?: string) {
  const res = await client.post(`/api/data/${entity}/${id}/transitions/${name}`, comment ? { comment } : {});
  expectStatus(res, expected);
  return res.body as { outcome: string; approval?: { id: string; steps: { name: string; status: string }[] } };
}

export async function get(client: ApiClient, entity: string, id: string): Promise<Record<string, any>> {
  const res = await client.get(`/api/data/${entity}/${id}`);
  expectStatus(res, 200);
  return res.body;
}

/** Sessions last 12 hours: after the clock jumps further, a user signs in again. */
export async function signInAgain(server: TestServer, ...users: TestUser[]): Promise<void> {
  for (const user of users) user.client = await server.userClient(user.email, user.password);
}

/**
 * Runs the due jobs, then lets the scheduler retry any effect that failed on the way (the engine
 * retries failed effects with backoff; under CPU contention one may trip the expression
 * wall-clock guardrail) by moving the clock a minute at a time, at most five times.
 */
export async function runScheduler(server: TestServer): Promise<void> {
  expectStatus(await server.post('/api/scheduler/tick'), 200);
  for (let round = 0; round < 5; round++) {
    const pending = (await server.get('/api/scheduler/jobs?status=pending&limit=1000')).body.items as { lastError?: string; dueAt: string }[];
    const retrying = pending.filter((j) => j.lastError);
    if (retrying.length === 0) return;
    console.warn(`[industry-templates] ${retrying.length} job(s) to retry: ${retrying[0]!.lastError}`);
    const due = Math.max(...retrying.map((j) => Date.parse(j.dueAt)));
    server.clock.set(new Date(Math.max(due, server.clock.now().getTime()) + 1000));
    expectStatus(await server.post('/api/scheduler/tick'), 200);
  }
}
