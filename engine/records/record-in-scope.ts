// The one record a caller acts on, or the 404 that says why not — for every action alike: a PATCH,
// DELETE or reassignment of a merged-away record names the survivor as its GET does, so a client
// holding an old id learns where the record went whatever it tried to do with it.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { EntityAction } from '../access/policy.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import type { StoreReader, StoredRecord } from '../store/store-port.ts';
import { findRecordInScope, recordNotFound } from './entity-lookup.ts';
import { mergedAwayError, mergedInto } from './merged-away.ts';
import type { RequestContext } from './request-context.ts';

/** A record that is not there — or, merged away, the 404 that says where it went (only a miss pays the look-up). */
export async function recordMissing(reader: StoreReader, ctx: RequestContext, entity: CompiledEntity, id: string): Promise<never> {
  const into = await mergedInto(reader, ctx, entity, id);
  throw into ? mergedAwayError(entity, id, into, ctx.locale) : recordNotFound(entity, id);
}

/**
 * The record when it exists and lies in the caller's scope for the action; 404 otherwise (never 403:
 * nothing may be inferred). Without a promise when the reader answers at once and the record is there.
 */
export function getRecordInScopeOrThrow(args: { reader: StoreReader; ctx: RequestContext; entity: CompiledEntity; id: string; action: EntityAction }): MaybePromise<StoredRecord> {
  return after(findRecordInScope(args), (record) => record ?? recordMissing(args.reader, args.ctx, args.entity, args.id));
}
