// Reads: one record, a filtered, sorted, keyset-paginated list with an optional total, and a
// record's history — each narrowed to the caller's scope and readable fields.

import { andFilters, type FilterableField, type FilterNode, type KeysetPosition, type ScalarValue, type SortKey } from '../filter/filter-tree.ts';
import { decodeCursor, encodeCursor, parseFilter, parseSort } from '../filter/parse-filter.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import { findNow, type Store, type StoredRecord } from '../store/store-port.ts';
import { loadHistory } from './audit-trail.ts';
import { loadPathValues, resolveFieldOrPath, storedValueAt } from './lookup-paths.ts';
import { findRecordInScope, getEntityOrThrow } from './entity-lookup.ts';
import { getRecordInScopeOrThrow, recordMissing } from './record-in-scope.ts';
import { checkFieldList, type FieldList } from './field-list.ts';
import { presentRecord, type RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

export interface ListQuery {
  /** The filter JSON as sent (already JSON-parsed). */
  filter?: unknown;
  sort?: string;
  limit?: number;
  cursor?: string;
  fields?: string[];
  total?: boolean;
}

export interface ListResult {
  items: RecordValues[];
  nextCursor?: string;
  total?: number;
}

export const maxPageSize = 1000;
export const defaultPageSize = 50;

// getRecord and listRecords answer without a promise when the store reads at once and nothing else
// waits (no lookup path asked for, no total): refusals are then thrown at once (kernel/maybe-promise.ts).

export function getRecord(store: Store, ctx: RequestContext, entityName: string, id: string, fields?: string[]): MaybePromise<RecordValues> {
  const entity = getEntityOrThrow(ctx, entityName);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  const projection = fields ? checkFieldList({ fields, ctx, entity }) : undefined;
  return after(findRecordInScope({ reader: store, ctx, entity, id, action: 'read' }), (stored) => {
    if (!stored) return recordMissing(store, ctx, entity, id);
    if (!projection || projection.paths.size === 0) return presentRecord(stored, readable, projection?.fields);
    return after(presentRows({ store, rows: [stored], readable, projection }), ([record]) => record!);
  });
}

/** The API form of a page of rows, with the values of any lookup paths the projection names. */
function presentRows(args: { store: Store; rows: readonly StoredRecord[]; readable: ReadonlySet<string>; projection: FieldList | undefined }): MaybePromise<RecordValues[]> {
  const { rows, readable, projection } = args;
  const items = rows.map((row) => presentRecord(row, readable, projection?.fields));
  if (!projection || projection.paths.size === 0) return items;
  const names = [...projection.paths.keys()];
  return loadPathValues(args.store, rows, [...projection.paths.values()]).then((values) => {
    rows.forEach((row, index) => {
      const item = items[index]!;
      values.get(row)!.forEach((value, n) => {
        if (value !== null) item[names[n]!] = value;
      });
    });
    return items;
  });
}

export function listRecords(store: Store, ctx: RequestContext, entityName: string, query: ListQuery): MaybePromise<ListResult> {
  const entity = getEntityOrThrow(ctx, entityName);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  // Fields the caller may not read are unknown to their filters and sorts: nothing may be inferred.
  // Lookup paths resolve only through what the caller may read, and carry their scope on each target.
  const { userFilter, sort } = parsedQuery(ctx, entity, readable, query);
  const limit = query.limit ?? defaultPageSize;
  const projection = query.fields ? checkFieldList({ fields: query.fields, ctx, entity }) : undefined;
  const position = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
  const filter = andFilters(userFilter, ctx.policy.scopeFilter(ctx.principal, entity, 'read'));
  return after(findNow(store, entity.name, { filter, sort, limit: limit + 1, ...(position ? { after: position } : {}) }), (rows) => {
    const page = rows.slice(0, limit);
    return after(presentRows({ store, rows: page, readable, projection }), (items) => {
      const result: ListResult = { items };
      return after(rows.length > limit ? positionOf(store, page[page.length - 1]!, sort.map((s) => s.field)) : undefined, (last) => {
        if (last) result.nextCursor = encodeCursor(last);
        if (!query.total) return result;
        return store.count(entity.name, filter).then((total) => {
          result.total = total;
          return result;
        });
      });
    });
  });
}

type ParsedQuery = { userFilter: FilterNode | undefined; sort: SortKey[] };

/**
 * Parsed filters and sorts, by entity (a revision's compiled entity), the caller's readable fields
 * (the policy's set for their roles) and the query: a client repeating a list does not have it
 * parsed again — and the store, given the same tree, compiles it once (compileFindSql). Only a
 * query through no lookup path is kept: a path carries the caller's own scope on its target.
 */
const parsedQueries = new WeakMap<CompiledEntity, WeakMap<ReadonlySet<string>, Map<string, ParsedQuery>>>();
const maxParsedQueries = 200;

function parsedQuery(ctx: RequestContext, entity: CompiledEntity, readable: ReadonlySet<string>, query: ListQuery): ParsedQuery {
  const key = `${query.filter === undefined ? '' : JSON.stringify(query.filter)}\u0000${query.sort ?? ''}`;
  let byReadable = parsedQueries.get(entity);
  if (!byReadable) parsedQueries.set(entity, (byReadable = new WeakMap()));
  let byQuery = byReadable.get(readable);
  if (!byQuery) byReadable.set(readable, (byQuery = new Map()));
  const known = byQuery.get(key);
  if (known) return known;
  let throughPath = false;
  const resolve = (path: string): FilterableField | undefined => {
    const field = resolveFieldOrPath(ctx, entity, path);
    if (field?.via?.length) throughPath = true;
    return field;
  };
  const parsed: ParsedQuery = {
    userFilter: query.filter === undefined ? undefined : parseFilter(query.filter, resolve),
    sort: query.sort ? parseSort(query.sort, resolve) : [],
  };
  if (!throughPath) {
    if (byQuery.size >= maxParsedQueries) byQuery.clear();
    byQuery.set(key, parsed);
  }
  return parsed;
}

/** The last row's sort values (through lookup paths as the store saw them), then its id. */
function positionOf(store: Store, row: StoredRecord, keys: readonly FilterableField[]): MaybePromise<KeysetPosition> {
  const paths = keys.filter((key) => key.via?.length);
  const position = (pathValues: readonly ScalarValue[]): KeysetPosition => {
    let next = 0;
    const values = keys.map((key): ScalarValue => (key.via?.length ? pathValues[next++]! : storedValueAt(row, key.path)));
    return { values, id: row.id };
  };
  return paths.length === 0 ? position([]) : loadPathValues(store, [row], paths).then((values) => position(values.get(row)!));
}

/** A record's history, oldest first, a page at a time: `nextCursor` continues after the last entry. */
export async function recordHistory(store: Store, ctx: RequestContext, entityName: string, id: string, page: { limit?: number; cursor?: string } = {}) {
  const entity = getEntityOrThrow(ctx, entityName);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  await getRecordInScopeOrThrow({ reader: store, ctx, entity, id, action: 'read' });
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  // A cursor is the id of the last entry of the page before: a ULID (anything else would silently answer an empty page).
  if (page.cursor !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(page.cursor)) {
    throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/cursor', message: localize({ en: 'is not a cursor this server issued', zh: '不是本服务返回的游标' }, ctx.locale) }]);
  }
  const limit = page.limit ?? 1000;
  const rows = await loadHistory(store, entity.name, id, { limit: limit + 1, ...(page.cursor !== undefined ? { after: page.cursor } : {}) });
  const entries = rows.slice(0, limit);
  // Changes to fields the caller cannot read are left out of the history as well.
  const items = entries.map((entry) => {
    const changes = Object.fromEntries(Object.entries(entry.changes).filter(([field]) => readable.has(field)));
    // Workflow steps carry the states they moved between: hidden with the state field they drive.
    const workflow = typeof entry.details?.['workflow'] === 'string' ? ctx.model.set.get('workflow', entry.details['workflow']) : undefined;
    const hiddenDetails = workflow !== undefined && !readable.has(String(workflow['field']));
    const { details, ...rest } = entry;
    return { ...rest, changes, ...(details && !hiddenDetails ? { details } : {}) };
  });
  return { items, ...(rows.length > limit ? { nextCursor: entries[entries.length - 1]!.id } : {}) };
}
