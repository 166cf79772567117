// bench/lib/deal: the one entity both sides of the benchmark serve — as engine metadata (entity and
// the view whose filter and sort produce the list index) and as the hand-written JSON Schema a team
// would otherwise keep — plus a deterministic record generator and the benchmarked list query.

import type { FilterableField, FilterNode, SortKey } from '../../engine/filter/filter-tree.ts';
import type { IndexSpec } from '../../engine/store/store-port.ts';
import { seededRandom as random } from '../../test/support/seeded-random.ts';

export const entityName = 'deal';
export const stages = ['open', 'won', 'lost'] as const;

/** The engine's metadata for the entity: plain fields, no formulas or rules (the baseline has none either). */
export const dealEntity = {
  kind: 'entity',
  name: entityName,
  label: { en: 'Deal', zh: '商机' },
  titleField: 'name',
  fields: {
    name: { type: 'text', required: true, maxLength: 120 },
    stage: {
      type: 'picklist',
      required: true,
      options: { open: { label: { en: 'Open', zh: '进行中' } }, won: { label: { en: 'Won', zh: '赢单' } }, lost: { label: { en: 'Lost', zh: '丢单' } } },
    },
    amount: { type: 'currency', min: 0 },
    probability: { type: 'percent', min: 0, max: 100 },
    closeDate: { type: 'date' },
    email: { type: 'email', maxLength: 254 },
  },
} as const;

/** A list view: its equality filter (stage) and sort (-amount) make the engine derive the index (stage, amount desc, id). */
export const openDealsView = {
  kind: 'view',
  name: 'openDealsByAmount',
  entity: entityName,
  label: { en: 'Open deals by amount', zh: '按金额排序的进行中商机' },
  type: 'list',
  columns: { name: { order: 10 }, amount: { order: 20 }, closeDate: { order: 30 } },
  filter: { stage: 'open' },
  sort: '-amount',
  pageSize: 50,
} as const;

/** The role the benchmark's clerk holds: create, read and update every deal (no row scope to filter by). */
export const benchRole = {
  kind: 'role',
  name: 'dealDesk',
  label: { en: 'Deal desk', zh: '商机台' },
  permissions: { [entityName]: { create: true, read: 'all', update: 'all', delete: 'own' } },
} as const;

/** The user both scenarios act as: signs in (cookie + CSRF) and issues an API token with the role above. */
export const benchClerk = { email: 'clerk@bench.test', password: 'Quartz-lantern-2026!x' } as const;

/** How the load generator authenticates: `Authorization: Bearer <token>`, or the session cookie plus the CSRF header on writes. */
export interface Credentials {
  token: string;
  cookie: string;
  csrfToken: string;
}

/** The baseline's own schema, written by hand and compiled once by ajv at start-up. */
export const dealInputSchema = {
  type: 'object',
  required: ['name', 'stage'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 120 },
    stage: { type: 'string', enum: [...stages] },
    amount: { type: 'number', minimum: 0 },
    probability: { type: 'number', minimum: 0, maximum: 100 },
    closeDate: { type: 'string', format: 'date' },
    email: { type: 'string', format: 'email', maxLength: 254 },
  },
} as const;

/** The baseline's index: the same keys the engine derives from the view. */
export const baselineListIndex: IndexSpec = {
  name: 'stage_amount',
  keys: [
    { path: ['stage'], direction: 1 },
    { path: ['amount'], direction: -1 },
  ],
  unique: false,
};

/** The benchmarked list: open deals above this amount, largest first, 50 a page. */
export const listAmountAbove = 50_000;
export const listFilter = { stage: 'open', amount: { $gt: listAmountAbove } };
export const listSort = '-amount';
export const listLimit = 50;
export const listPath = `/api/data/${entityName}?filter=${encodeURIComponent(JSON.stringify(listFilter))}&sort=${listSort}&limit=${listLimit}`;

/** The body every benchmarked create sends. */
export const createBody = { name: 'Bench deal', stage: 'open', amount: 12_345.67, probability: 40, closeDate: '2026-06-30', email: 'buyer@example.com' };


const epoch = Date.parse('2025-01-01T00:00:00.000Z');

/** Record i as the engine stores it after a create by `by` (writable values plus system fields). */
export function dealDocument(i: number, by: string): Record<string, unknown> {
  const rnd = random(i * 2654435761 + 1);
  const r = rnd();
  const stage = r < 0.4 ? 'open' : r < 0.7 ? 'won' : 'lost';
  const created = new Date(epoch + i * 1000).toISOString();
  const close = new Date(epoch + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
  return {
    name: `Deal ${i}`,
    stage,
    amount: Math.round(rnd() * 10_000_000) / 100,
    probability: Math.floor(rnd() * 101),
    closeDate: close,
    email: `buyer${i}@example.com`,
    createdAt: created,
    updatedAt: created,
    createdBy: by,
    updatedBy: by,
    owner: by,
  };
}

/** Hand-written fields for the baseline's filter tree (what a team would declare next to its handler). */
export const baselineFields: Record<'stage' | 'amount' | 'closeDate' | 'name', FilterableField> = {
  stage: { path: ['stage'], valueType: 'string', array: false, operators: ['$eq', '$in'], sortable: true },
  amount: { path: ['amount'], valueType: 'number', array: false, operators: ['$eq', '$gt', '$gte', '$lt', '$lte'], sortable: true },
  closeDate: { path: ['closeDate'], valueType: 'date', array: false, operators: ['$eq', '$gt', '$gte', '$lt', '$lte'], sortable: true },
  name: { path: ['name'], valueType: 'string', array: false, operators: ['$eq'], sortable: true },
};

const at = (x: number, y: number, w = 4, h = 3) => ({ x, y, w, h });
/** Six widgets over the benchmark entity; the metric compares with the previous period of the date filter. */
export const benchDashboard = {
  kind: 'dashboard',
  name: 'dealOverview',
  title: { en: 'Deals', zh: '商机' },
  filters: { period: { type: 'dateRange', fields: { deal: 'closeDate' } }, stage: { type: 'picklist', fields: { deal: 'stage' } } },
  widgets: {
    won: { type: 'metric', title: 'Won', entity: 'deal', filter: { stage: 'won' }, measure: { op: 'sum', field: 'amount' }, compare: 'previousPeriod', layout: at(0, 0) },
    byStage: { type: 'bar', title: 'By stage and month', entity: 'deal', groupBy: 'stage', series: { field: 'closeDate', bucket: 'month' }, stacked: true, measure: { op: 'sum', field: 'amount' }, layout: at(4, 0) },
    perMonth: { type: 'line', title: 'Per month', entity: 'deal', groupBy: { field: 'closeDate', bucket: 'month' }, measure: { op: 'count' }, layout: at(8, 0) },
    stages: { type: 'pie', title: 'Stages', entity: 'deal', groupBy: 'stage', measure: { op: 'count' }, donut: true, layout: at(0, 3) },
    pivot: { type: 'pivot', title: 'Stage × year', entity: 'deal', rows: 'stage', columns: { field: 'closeDate', bucket: 'year' }, measure: { op: 'avg', field: 'probability' }, layout: at(4, 3) },
    top: { type: 'table', title: 'Largest', entity: 'deal', columns: ['name', 'stage', 'amount'], sort: '-amount', limit: 10, layout: at(8, 3) },
  },
} as const;

export type { FilterNode, SortKey };
