// Delete: honours If-Match, and the lookups that point at the record — restrict refuses, setNull
// clears them, cascade deletes the referencing records too — all in one transaction.

import { type ExpectedVersion, versionMatches } from '../kernel/version-match.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { CrmError, pointer, localizedDetail } from '../kernel/errors.ts';
import { labelsOf } from '../kernel/i18n.ts';
import type { StoreTransaction, StoredRecord } from '../store/store-port.ts';
import type { Store } from '../store/store-port.ts';
import { appendAudit } from './audit-trail.ts';
import { dropMatchKeys, keepMatchKeys } from './match-keys.ts';
import { getEntityOrThrow } from './entity-lookup.ts';
import { getRecordInScopeOrThrow } from './record-in-scope.ts';
import { propagateRollups } from './propagate-rollups.ts';
import { withoutReference } from './incoming-references.ts';
import type { InTransactionEvents, RecordEvent } from './record-events.ts';
import { changedFields } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';
import { staleError } from './write-record.ts';

const maxCascade = 10_000;

export async function deleteRecord(store: Store, ctx: RequestContext, entityName: string, id: string, expectedVersion?: ExpectedVersion, listeners?: InTransactionEvents): Promise<RecordEvent[]> {
  const entity = getEntityOrThrow(ctx, entityName);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'delete');
  return store.transaction((tx) => deleteInTransaction({ tx, ctx, entity, id, ...(expectedVersion !== undefined ? { expectedVersion } : {}), ...(listeners ? { listeners } : {}) }));
}

/**
 * The part of a delete that happens inside its transaction (the caller checked the entity action):
 * bulk writers (an import's undo) delete a page of records in one transaction through it.
 */
export async function deleteInTransaction(args: { tx: StoreTransaction; ctx: RequestContext; entity: CompiledEntity; id: string; expectedVersion?: ExpectedVersion; listeners?: InTransactionEvents }): Promise<RecordEvent[]> {
  const { tx, ctx, entity, expectedVersion } = args;
  const current = await getRecordInScopeOrThrow({ reader: tx, ctx, entity, id: args.id, action: 'delete' });
  if (expectedVersion !== undefined && !versionMatches(expectedVersion, current.version)) throw staleError(current.version, true);
  const events: RecordEvent[] = [];
  await removeWithReferences({ tx, ctx, entity, record: current, events, budget: { left: maxCascade }, visited: new Set() });
  await args.listeners?.runInTransaction(tx, events);
  return events;
}

async function removeWithReferences(args: {
  tx: StoreTransaction;
  ctx: RequestContext;
  entity: CompiledEntity;
  record: StoredRecord;
  events: RecordEvent[];
  budget: { left: number };
  /** Records already being deleted in this cascade: a record pointing at itself, or a cycle, ends here. */
  visited: Set<string>;
}): Promise<void> {
  const { tx, ctx, entity, record, events, budget, visited } = args;
  visited.add(`${entity.name}/${record.id}`);
  if (--budget.left < 0) throw new CrmError('CONFLICT', { en: 'Deleting this record would cascade to too many records', zh: '删除此记录会级联删除过多记录' });
  const now = ctx.clock.now().toISOString();
  for (const incoming of entity.incomingLookups) {
    const source = ctx.model.entities.get(incoming.entity);
    if (!source) continue;
    const filter = { kind: 'compare' as const, field: source.filterables.get(incoming.field)!, op: '$eq' as const, value: record.id };
    if (incoming.onDelete === 'restrict') {
      // Records deleted in this same cascade (the record itself, if it points at itself) do not count.
      const leaving = [...visited].filter((key) => key.startsWith(`${source.name}/`)).map((key) => key.slice(source.name.length + 1));
      const count = await tx.count(source.name, andFilters(filter, { kind: 'in', field: internalField('id'), values: leaving, negate: true }));
      if (count > 0) {
        // Named by its label in each language: the entity's code name reads as code in a message.
        const named = labelsOf(source.definition.label, source.name);
        throw new CrmError('REFERENCE_IN_USE', undefined, [
          localizedDetail({ path: pointer(incoming.entity, incoming.field), text: { en: `${count} ${named.en} record(s) still refer to this record`, zh: `仍有 ${count} 条${named.zh}记录引用此记录` } }, ctx.locale),
        ]);
      }
      continue;
    }
    const referencing = await tx.find(source.name, { filter, sort: [], limit: maxCascade });
    for (const child of referencing) {
      if (visited.has(`${source.name}/${child.id}`)) continue;
      if (incoming.onDelete === 'cascade') {
        await removeWithReferences({ ...args, entity: source, record: child });
      } else {
        // A polymorphic lookup is found by `parent.id` and cleared whole; a multiLookup loses this one id.
        const { data: without, field: cleared } = withoutReference(child.data, incoming, record.id);
        const data: Record<string, unknown> = { ...without, updatedAt: now, updatedBy: ctx.principal.id };
        await tx.replace(source.name, { ...child, version: child.version + 1, revision: ctx.model.revision, data }, child.version);
        await keepMatchKeys(tx, source, child.id, data, child.data);
        await propagateRollups({ child: source, before: child.data, after: data, tx, ctx });
        await appendAudit(tx, { entity: source.name, recordId: child.id, action: 'update', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: { [cleared]: { before: child.data[cleared], ...(data[cleared] !== undefined ? { after: data[cleared] } : {}) } } });
        events.push({ type: 'updated', entity: source.name, id: child.id, before: child.data, after: data, ctx });
      }
    }
  }
  if (!(await tx.delete(entity.name, record.id, record.version))) throw staleError(record.version);
  await dropMatchKeys(tx, entity, record.id);
  await propagateRollups({ child: entity, before: record.data, after: undefined, tx, ctx });
  await appendAudit(tx, { entity: entity.name, recordId: record.id, action: 'delete', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: changedFields(record.data, {}, new Set()) });
  events.push({ type: 'deleted', entity: entity.name, id: record.id, before: record.data, version: record.version, ctx });
}
