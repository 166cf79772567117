// A record's timeline: the records of every entity whose polymorphic lookup points at it
// (activities, notes, calls…), newest first — each list narrowed to what the caller may read.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import type { Store } from '../store/store-port.ts';
import { getEntityOrThrow } from './entity-lookup.ts';
import { getRecordInScopeOrThrow } from './record-in-scope.ts';
import { presentRecord, type RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

export interface TimelineItem {
  entity: string;
  /** The polymorphic field that points at the record. */
  field: string;
  record: RecordValues;
}

export async function recordTimeline(store: Store, ctx: RequestContext, entityName: string, id: string, limit = 50): Promise<{ items: TimelineItem[] }> {
  const entity = getEntityOrThrow(ctx, entityName);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  await getRecordInScopeOrThrow({ reader: store, ctx, entity, id, action: 'read' });
  const items: (TimelineItem & { at: string })[] = [];
  for (const source of ctx.model.entities.values()) {
    if (!readable(ctx, source)) continue;
    const fields = ctx.policy.readableFields(ctx.principal, source);
    for (const field of source.fields.values()) {
      const def = field.definition;
      if (def.type !== 'polymorphicLookup' || !def.to.includes(entity.name) || !fields.has(field.name)) continue;
      const filter = andFilters(
        { kind: 'compare', field: source.filterables.get(`${field.name}.id`)!, op: '$eq', value: id },
        ctx.policy.scopeFilter(ctx.principal, source, 'read'),
      );
      const rows = await store.find(source.name, { filter, sort: [{ field: internalField('createdAt', 'datetime'), direction: -1 }], limit });
      for (const row of rows) items.push({ entity: source.name, field: field.name, record: presentRecord(row, fields), at: String(row.data['createdAt'] ?? '') });
    }
  }
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { items: items.slice(0, limit).map(({ at: _at, ...item }) => item) };
}

function readable(ctx: RequestContext, entity: CompiledEntity): boolean {
  try {
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    return true;
  } catch {
    return false;
  }
}
