// Records of any entity: list (filter, sort, keyset cursor, total), get with its version, create,
// update with If-Match, delete, history, transitions. One function per verb.

import { getJson, request, withQuery } from './client.ts';

export type RecordValues = Record<string, unknown> & { id: string; version: number };

export interface ListQuery {
  filter?: Record<string, unknown>;
  sort?: string;
  limit?: number;
  cursor?: string;
  fields?: string[];
  total?: boolean;
  /** A saved view run by the server: its filter (variables bound), ownedBy and segment apply too. */
  view?: string;
  /** A lookup picker's search (`entity.field`): the server ANDs the field's filter, bound to `record`. */
  lookupFor?: string;
  /** With lookupFor: the edited record's current values (for the filter's `$record.x`). */
  record?: Record<string, unknown>;
}

export interface ListPage {
  items: RecordValues[];
  nextCursor?: string;
  total?: number;
}

const base = (entity: string) => `/api/data/${encodeURIComponent(entity)}`;

/** The `fields` parameter: left out when there are none (the server refuses an empty `fields=`). */
const joinedFields = (fields: readonly string[] | undefined) => (fields && fields.length > 0 ? fields.join(',') : undefined);

/** `viewAs` (`user:<id>` / `role:<name>`): the page as that user or role gets it (an admin's "view as"). */
export async function listRecords(entity: string, q: ListQuery = {}, viewAs?: string): Promise<ListPage> {
  const query = {
    filter: q.filter && Object.keys(q.filter).length > 0 ? JSON.stringify(q.filter) : undefined,
    sort: q.sort || undefined,
    limit: q.limit,
    cursor: q.cursor,
    fields: joinedFields(q.fields),
    total: q.total ? 1 : undefined,
    view: q.view,
    lookupFor: q.lookupFor,
    record: q.lookupFor !== undefined ? JSON.stringify(q.record ?? {}) : undefined,
  };
  return viewAs === undefined ? getJson<ListPage>(base(entity), query) : (await request<ListPage>(base(entity), { query, viewAs })).body;
}

export type ExportFormat = 'csv' | 'xlsx' | 'jsonl';

/**
 * Where a list's file downloads from (GET /api/export/{entity}): a link with `download` fetches
 * it, the session cookie authenticating the GET; `lang` stands for the Accept-Language a link cannot set.
 */
export function exportUrl(entity: string, q: Pick<ListQuery, 'filter' | 'sort' | 'fields' | 'view'> & { format: ExportFormat; lang: string }): string {
  return withQuery(`/api/export/${encodeURIComponent(entity)}`, {
    format: q.format,
    filter: q.filter && Object.keys(q.filter).length > 0 ? JSON.stringify(q.filter) : undefined,
    sort: q.sort || undefined,
    view: q.view,
    fields: joinedFields(q.fields),
    lang: q.lang,
  });
}

export async function getRecord(entity: string, id: string): Promise<RecordValues> {
  return (await request<RecordValues>(`${base(entity)}/${encodeURIComponent(id)}`)).body;
}

/** `form`: the form the user filled — the server applies its requiredWhen, readOnlyWhen and hidden fields. */
export async function createRecord(entity: string, values: Record<string, unknown>, form?: string): Promise<RecordValues> {
  return (await request<RecordValues>(base(entity), { method: 'POST', body: values, query: { form } })).body;
}

/** A merge patch against the version the user saw: a stale version answers 412. */
export async function updateRecord(entity: string, id: string, patch: Record<string, unknown>, version?: number, form?: string): Promise<RecordValues> {
  return (await request<RecordValues>(`${base(entity)}/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch, ifMatch: version, contentType: 'application/merge-patch+json', query: { form } })).body;
}

export async function deleteRecord(entity: string, id: string, version?: number): Promise<void> {
  await request(`${base(entity)}/${encodeURIComponent(id)}`, { method: 'DELETE', ifMatch: version });
}

export interface HistoryEntry {
  id: string;
  at: string;
  by: string;
  action: string;
  changes?: Record<string, { from?: unknown; to?: unknown }> | unknown;
  [key: string]: unknown;
}

export function recordHistory(entity: string, id: string, cursor?: string): Promise<{ items: HistoryEntry[]; nextCursor?: string }> {
  return getJson(`${base(entity)}/${encodeURIComponent(id)}/history`, { limit: 100, cursor });
}

export interface TransitionOption {
  name: string;
  workflow?: string;
  label?: unknown;
  to?: string;
  available: boolean;
  reason?: string;
  requiresComment?: boolean;
  requiredFields?: string[];
  [key: string]: unknown;
}

/** Hands the record to another active user (the reassign grant); a stale version answers 412. */
export async function reassignRecord(entity: string, id: string, owner: string, version?: number): Promise<RecordValues> {
  return (await request<RecordValues>(`${base(entity)}/${encodeURIComponent(id)}/reassign`, { method: 'POST', body: { owner }, ifMatch: version })).body;
}

export function listTransitions(entity: string, id: string): Promise<unknown> {
  return getJson(`${base(entity)}/${encodeURIComponent(id)}/transitions`);
}

export async function takeTransition(entity: string, id: string, name: string, options: { comment?: string; version?: number } = {}): Promise<{ outcome: string; record?: RecordValues; [k: string]: unknown }> {
  const body = options.comment ? { comment: options.comment } : {};
  return (await request<{ outcome: string; record?: RecordValues }>(`${base(entity)}/${encodeURIComponent(id)}/transitions/${encodeURIComponent(name)}`, { method: 'POST', body, ifMatch: options.version })).body;
}
