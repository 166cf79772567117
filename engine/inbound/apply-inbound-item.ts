// inbound/: other systems push data in — POST /api/inbound/{name}, an inbound metadata item maps
// each element of the payload (JSONata) to upserts of one or more records. This file: one item,
// all its upserts and its applied-key mark in ONE store transaction (an order never lands without
// its lines), through the same create and update verbs as the API, with the caller's rights.

import { createHash } from 'node:crypto';
import { evaluateExpression, } from '../expressions/evaluate-expression.ts';
import { where } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import type { CompiledExpression } from '../expressions/compile-expression.ts';
import type { RecordEvent, RecordEvents } from '../records/record-events.ts';
import type { RequestContext } from '../records/request-context.ts';
import { createRecord, updateRecord } from '../records/write-record.ts';
import type { CollectionSpec, Store, StoreTransaction } from '../store/store-port.ts';

export const inboundKeysCollection: CollectionSpec = { name: '_inboundKeys', indexes: [] };

export interface CompiledTarget {
  name: string;
  entity: string;
  match: string;
  map: CompiledExpression;
  parent?: string;
  parentField?: string;
}

export interface RecordOutcome {
  id: string;
  action: 'created' | 'updated' | 'unchanged';
}

export type ItemOutcome =
  | { status: 'applied'; records: Record<string, RecordOutcome[]> }
  | { status: 'unchanged' };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A store view whose transactions are the one already open: the record verbs then write inside it. */
function within(store: Store, tx: StoreTransaction): Store {
  return new Proxy(store, { get: (target, property) => (property === 'transaction' ? <T>(work: (t: StoreTransaction) => Promise<T>) => work(tx) : Reflect.get(target, property, target)) });
}

function asRecords(value: unknown, target: string): Record<string, unknown>[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.map((entry, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new CrmError('BAD_REQUEST', { en: 'The mapping did not give an object', zh: '映射结果不是对象' }, [{ path: `/targets/${target}/${index}`, message: 'the mapping must give an object of field values (or an array of them)' }]);
    }
    return entry as Record<string, unknown>;
  });
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

async function upsert(args: { store: Store; tx: StoreTransaction; ctx: RequestContext; events: RecordEvents; target: CompiledTarget; values: Record<string, unknown>; index: number; collected: RecordEvent[] }): Promise<RecordOutcome> {
  const { tx, ctx, target, values, index } = args;
  const prefix = (issue: { path: string; message: string }) => ({ ...issue, path: `/targets/${target.name}/${index}${issue.path}` });
  const matchValue = values[target.match];
  if (typeof matchValue !== 'string' && typeof matchValue !== 'number') {
    throw new CrmError('BAD_REQUEST', { en: 'The record has no value to match on', zh: '记录缺少匹配字段的值' }, [{ path: `/targets/${target.name}/${index}/${target.match}`, message: 'is required to find or create the record' }]);
  }
  const store = within(args.store, tx);
  try {
    const [existing] = await tx.find(target.entity, { filter: where({ [target.match]: matchValue }), sort: [], limit: 1 });
    if (!existing) {
      const result = await createRecord(store, ctx, target.entity, values, { events: args.events });
      args.collected.push(...result.events);
      return { id: String(result.record['id']), action: 'created' };
    }
    if (Object.entries(values).every(([field, value]) => same(existing.data[field], value))) return { id: existing.id, action: 'unchanged' };
    const result = await updateRecord(store, ctx, target.entity, existing.id, values, { events: args.events, expectedVersion: existing.version });
    args.collected.push(...result.events);
    return { id: existing.id, action: 'updated' };
  } catch (error) {
    if (error instanceof CrmError) throw new CrmError(error.code, error.text, error.details.length > 0 ? error.details.map(prefix) : [{ path: `/targets/${target.name}/${index}`, message: error.message }]);
    throw error;
  }
}

/**
 * Applies one item: unchanged when its key was applied with the same content; otherwise every
 * target upserted and the key marked, in one transaction. Events reach the in-transaction
 * listeners (subscriptions, triggers) there; the caller publishes `collected` after the commit.
 */
export async function applyInboundItem(args: {
  store: Store; ctx: RequestContext; events: RecordEvents; endpoint: string; targets: readonly CompiledTarget[]; item: unknown; key: string; collected: RecordEvent[];
}): Promise<ItemOutcome> {
  const keyId = `inb.${args.endpoint}.${sha256(args.key).slice(0, 40)}`;
  const fingerprint = sha256(JSON.stringify(args.item));
  const known = await args.store.get(inboundKeysCollection.name, keyId);
  if (known && known.data['fingerprint'] === fingerprint) return { status: 'unchanged' };
  const mapped: Record<string, unknown>[][] = [];
  for (const target of args.targets) {
    mapped.push(asRecords(await evaluateExpression(target.map, args.item, { clock: args.ctx.clock, origin: `/targets/${target.name}/map` }), target.name));
  }
  return args.store.transaction(async (tx) => {
    const records: Record<string, RecordOutcome[]> = {};
    for (const [t, target] of args.targets.entries()) {
      const parentId = target.parent ? records[target.parent]?.[0]?.id : undefined;
      const outcomes: RecordOutcome[] = [];
      for (const [index, values] of mapped[t]!.entries()) {
        const withParent = target.parentField && parentId ? { ...values, [target.parentField]: parentId } : values;
        outcomes.push(await upsert({ store: args.store, tx, ctx: args.ctx, events: args.events, target, values: withParent, index, collected: args.collected }));
      }
      records[target.name] = outcomes;
    }
    const data = { endpoint: args.endpoint, fingerprint, at: args.ctx.clock.now().toISOString(), by: args.ctx.principal.id };
    const current = await tx.get(inboundKeysCollection.name, keyId);
    if (current) await tx.replace(inboundKeysCollection.name, { id: keyId, version: current.version + 1, revision: 0, data }, current.version);
    else await tx.insert(inboundKeysCollection.name, { id: keyId, version: 1, revision: 0, data });
    return { status: 'applied', records };
  });
}
