// Reassign: the only way a record's owner or teams change — needs the role's reassign grant on the
// record (its scope decides which records), is one conditional write, and lands in the audit trail.

import { type ExpectedVersion, versionMatches } from '../kernel/version-match.ts';
import { appendAudit } from './audit-trail.ts';
import { keepMatchKeys } from './match-keys.ts';
import type { InTransactionEvents, RecordEvent } from './record-events.ts';
import { getEntityOrThrow } from './entity-lookup.ts';
import { getRecordInScopeOrThrow } from './record-in-scope.ts';
import { presentRecord } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';
import type { Store } from '../store/store-port.ts';
import { staleError, type WriteResult } from './write-record.ts';

/** What a reassign changes: the owner, the teams (an empty list clears them), or both. */
export interface Reassignment {
  owner?: string;
  teams?: readonly string[];
}

export async function reassignRecord(store: Store, ctx: RequestContext, args: { entity: string; id: string; to: Reassignment; expectedVersion?: ExpectedVersion }, listeners?: InTransactionEvents): Promise<WriteResult> {
  const entity = getEntityOrThrow(ctx, args.entity);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'reassign');
  return store.transaction(async (tx) => {
    const current = await getRecordInScopeOrThrow({ reader: tx, ctx, entity, id: args.id, action: 'reassign' });
    if (args.expectedVersion !== undefined && !versionMatches(args.expectedVersion, current.version)) throw staleError(current.version, true);
    const now = ctx.clock.now().toISOString();
    const data: Record<string, unknown> = { ...current.data, updatedAt: now, updatedBy: ctx.principal.id };
    const changes: Record<string, { before?: unknown; after?: unknown }> = {};
    if (args.to.owner !== undefined) {
      data['owner'] = args.to.owner;
      changes['owner'] = { before: current.data['owner'], after: args.to.owner };
    }
    if (args.to.teams !== undefined) {
      if (args.to.teams.length > 0) data['teams'] = [...args.to.teams];
      else delete data['teams'];
      changes['teams'] = { ...(current.data['teams'] !== undefined ? { before: current.data['teams'] } : {}), ...(data['teams'] !== undefined ? { after: data['teams'] } : {}) };
    }
    const stored = { ...current, version: current.version + 1, revision: current.revision, data };
    if (!(await tx.replace(entity.name, stored, current.version))) throw staleError(current.version);
    await keepMatchKeys(tx, entity, args.id, data, current.data);
    await appendAudit(tx, { entity: entity.name, recordId: args.id, action: 'reassign', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes });
    const record = presentRecord(stored, ctx.policy.readableFields(ctx.principal, entity));
    const events: RecordEvent[] = [{ type: 'updated', entity: entity.name, id: args.id, before: current.data, after: data, ctx }];
    await listeners?.runInTransaction(tx, events);
    return { record, duplicates: [], events };
  });
}
