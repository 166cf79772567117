// The record service: the one entry point to records for the API, workflows, imports and
// templates. It binds the store and the record events (in the write's transaction, and after it) to the verbs.

import type { ExpectedVersion } from '../kernel/version-match.ts';
import type { Store } from '../store/store-port.ts';
import { deleteRecord } from './delete-record.ts';
import { getEntityOrThrow } from './entity-lookup.ts';
import { applyView } from './view-query.ts';
import { applyLookupFilter } from './lookup-filter.ts';
import { segmentMemberIds } from './segments.ts';
import { getRecord, listRecords, recordHistory, type ListQuery, type ListResult } from './read-records.ts';
import type { MaybePromise } from '../kernel/maybe-promise.ts';
import type { RecordValues } from './record-shape.ts';
import { RecordEvents } from './record-events.ts';
import type { RequestContext } from './request-context.ts';
import { createRecord, updateRecord, type CreateOptions, type UpdateOptions, type WriteResult } from './write-record.ts';
import { reassignRecord, type Reassignment } from './reassign-record.ts';
import { recordTimeline } from './record-timeline.ts';

/** A lookup picker's search (`lookupFor`: entity.field; `record`: the form's current values). */
export interface LookupSearch {
  lookupFor?: string;
  record?: unknown;
}

export class RecordService {
  readonly events = new RecordEvents();

  constructor(readonly store: Store) {}

  async create(ctx: RequestContext, entity: string, input: unknown, options?: CreateOptions): Promise<WriteResult> {
    const result = await createRecord(this.store, ctx, entity, input, { ...options, events: this.events });
    await this.events.publish(result.events);
    return result;
  }

  async update(ctx: RequestContext, entity: string, id: string, patch: unknown, options?: UpdateOptions): Promise<WriteResult> {
    const result = await updateRecord(this.store, ctx, entity, id, patch, { ...options, events: this.events });
    await this.events.publish(result.events);
    return result;
  }

  async delete(ctx: RequestContext, entity: string, id: string, expectedVersion?: ExpectedVersion): Promise<void> {
    await this.events.publish(await deleteRecord(this.store, ctx, entity, id, expectedVersion, this.events));
  }

  /** Changes the record's owner or teams: needs the reassign grant (the only way either changes). */
  async reassign(ctx: RequestContext, entity: string, id: string, to: Reassignment, expectedVersion?: ExpectedVersion): Promise<WriteResult> {
    const result = await reassignRecord(this.store, ctx, { entity, id, to, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }, this.events);
    await this.events.publish(result.events);
    return result;
  }

  async get(ctx: RequestContext, entity: string, id: string, fields?: string[]): Promise<RecordValues> {
    return this.getNow(ctx, entity, id, fields);
  }

  /** get() for the HTTP route: without a promise when nothing waits, and then a refusal is thrown at once (kernel/maybe-promise.ts). */
  getNow(ctx: RequestContext, entity: string, id: string, fields?: string[]): MaybePromise<RecordValues> {
    return getRecord(this.store, ctx, entity, id, fields);
  }

  /** `view`: run a saved view of the entity (its filter, sort, columns and page size; see view-query.ts). */
  async list(ctx: RequestContext, entity: string, query: ListQuery & { view?: string } & LookupSearch): Promise<ListResult> {
    return this.listNow(ctx, entity, query);
  }

  /** list() for the HTTP route: without a promise when nothing waits, and then a refusal is thrown at once. */
  listNow(ctx: RequestContext, entity: string, query: ListQuery & { view?: string } & LookupSearch): MaybePromise<ListResult> {
    const { view, lookupFor, record, ...rest } = query;
    const narrowed = lookupFor === undefined ? rest : this.lookupSearch(ctx, entity, { lookupFor, record }, rest);
    if (view === undefined) return listRecords(this.store, ctx, entity, narrowed);
    return this.listView(ctx, entity, view, narrowed);
  }

  /** A lookup picker's search: the field's filter bound to the form's values (lookup-filter.ts). */
  private lookupSearch(ctx: RequestContext, entity: string, search: LookupSearch & { lookupFor: string }, query: ListQuery): ListQuery {
    const target = getEntityOrThrow(ctx, entity);
    ctx.policy.assertEntityAction(ctx.principal, target, 'read');
    return applyLookupFilter({ ctx, target, lookupFor: search.lookupFor, record: search.record, query });
  }

  private async listView(ctx: RequestContext, entity: string, view: string, rest: ListQuery): Promise<ListResult> {
    const compiled = getEntityOrThrow(ctx, entity);
    ctx.policy.assertEntityAction(ctx.principal, compiled, 'read');
    const viewed = applyView(ctx, compiled, view, rest);
    // A view over a segment lists its members (as last computed), within the caller's scope as always.
    const segment = ctx.model.set.get('view', view)?.['segment'];
    if (typeof segment === 'string') {
      const ids = await segmentMemberIds(this.store, segment);
      // The filter language takes at most 500 values per $in: members go in chunks.
      const chunks = Array.from({ length: Math.max(1, Math.ceil(ids.length / 500)) }, (_, i) => ({ id: { $in: ids.slice(i * 500, i * 500 + 500) } }));
      viewed.filter = { $and: [viewed.filter ?? {}, chunks.length === 1 ? chunks[0]! : { $or: chunks }] };
    }
    return listRecords(this.store, ctx, entity, viewed);
  }

  /** What points at the record through polymorphic lookups (activities, notes), newest first. */
  timeline(ctx: RequestContext, entity: string, id: string, limit?: number) {
    return recordTimeline(this.store, ctx, entity, id, limit);
  }

  history(ctx: RequestContext, entity: string, id: string, page?: { limit?: number; cursor?: string }) {
    return recordHistory(this.store, ctx, entity, id, page);
  }
}
