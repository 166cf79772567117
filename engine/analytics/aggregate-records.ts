// analytics/: aggregations of records for people — ad-hoc groupings, dashboards — always under
// the caller's access: only records in their read scope are counted, and only fields they may
// read can be grouped, measured, filtered or sorted (a hidden field is unknown, as in filters).
// An aggregate therefore tells nothing the records API would not: every figure is a count, sum or
// extreme of readable values of records the caller could list one by one.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, type FilterableField } from '../filter/filter-tree.ts';
import { groupLimits, type GroupQuery, type GroupRow } from '../filter/group-tree.ts';
import type { FieldResolver } from '../filter/parse-filter.ts';
import { parseGroupSpec } from '../filter/parse-group.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { resolveFieldOrPath } from '../records/lookup-paths.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { StoreReader } from '../store/store-port.ts';

/** The answer of GET /api/aggregate/{entity} (documented in README, kept stable for the studio). */
export interface AggregateResult {
  entity: string;
  /** One row per group: `key` maps each key name to its value (null: absent), `values` each measure. */
  groups: GroupRow[];
  /** True when more groups matched than the limit (or 10,000) let through. */
  truncated: boolean;
}

/** The fields (and lookup paths, `account.industry`) of an entity the caller may read, as filters and groupings see them. */
export function readableResolver(ctx: RequestContext, entity: CompiledEntity): FieldResolver {
  return (path: string): FilterableField | undefined => resolveFieldOrPath(ctx, entity, path);
}

/** Checks the caller may read the entity and parses the spec against their readable fields. */
export function parseAggregation(args: { ctx: RequestContext; entityName: string; spec: unknown; defaultTimeZone: string }): { entity: CompiledEntity; query: GroupQuery } {
  const entity = getEntityOrThrow(args.ctx, args.entityName);
  args.ctx.policy.assertEntityAction(args.ctx.principal, entity, 'read');
  const query = parseGroupSpec(args.spec ?? {}, { resolve: readableResolver(args.ctx, entity), defaultTimeZone: args.defaultTimeZone });
  return { entity, query };
}

/** Runs a parsed grouping within the caller's read scope, at most `limit` (or 10,000) groups. */
export async function runAggregation(args: { store: StoreReader; ctx: RequestContext; entity: CompiledEntity; query: GroupQuery }): Promise<AggregateResult> {
  const { store, ctx, entity, query } = args;
  const limit = Math.min(query.limit ?? groupLimits.maxRows, groupLimits.maxRows);
  const scoped: GroupQuery = { ...query, filter: andFilters(query.filter, ctx.policy.scopeFilter(ctx.principal, entity, 'read')), limit: limit + 1 };
  const rows = await store.group(entity.name, scoped);
  return { entity: entity.name, groups: rows.slice(0, limit), truncated: rows.length > limit };
}
