// Inside every record write's transaction: the events the subscriptions on its entity want are
// written to the outbox, and the subscription's delivery job is queued if none is — so a change
// and its events commit (or vanish) together. Bodies are fixed here, cut to what the role reads.
// Maintenance writers (merges, cleansing jobs, their undos) send theirs through here as well, a page
// of records per transaction: their outbox rows commit with their writes.

import { newId } from '../kernel/ids.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import type { RecordEvent } from '../records/record-events.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { workflowsOf } from '../workflow/compile-workflow.ts';
import { subscriptionsForEntity, type CompiledSubscription } from './compile-subscriptions.ts';
import { loadState, outboxCollection, saveState, type OutboxRow } from './outbox.ts';
import { pumpJobKind, readableBy, type SubscriptionDeps } from './subscription-deps.ts';
import { log } from '../kernel/log.ts';

// Bookkeeping that changes on every write: not a change anyone subscribes to.
const bookkeeping = new Set(['updatedAt', 'updatedBy', 'version', 'revision']);

function changedFields(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): string[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...names].filter((name) => !bookkeeping.has(name) && JSON.stringify(before?.[name]) !== JSON.stringify(after?.[name]));
}

/** Which of the subscription's events this record event is, if any. */
function eventName(event: RecordEvent, subscription: CompiledSubscription, stateVisible: boolean): string | undefined {
  const wants = subscription.events;
  if (event.type === 'decided') return wants.has('approval') && stateVisible ? 'approval' : undefined;
  if (event.type === 'updated' && event.action === 'transition' && wants.has('transition') && stateVisible) return 'transition';
  return wants.has(event.type) ? event.type : undefined;
}

/**
 * Queues the subscription's delivery job unless one is queued (or it is paused); returns the new
 * job's id. A job parked until a failed record's retry is due does not hold up a new event of
 * another record: a new job takes over now, and the parked one stands down when its time comes.
 */
export async function ensurePump(deps: SubscriptionDeps, tx: StoreTransaction, name: string): Promise<string | undefined> {
  const { waitingUntil: _parked, ...state } = await loadState(tx, name);
  if ((state.pumpScheduled && _parked === undefined) || state.paused) return undefined;
  const id = `subpump.${name}.${newId()}`;
  await saveState(tx, name, { ...state, pumpScheduled: true, pumpJob: id });
  await deps.scheduler.enqueue({ id, kind: pumpJobKind, dueAt: deps.clock.now(), payload: { subscription: name }, key: `subscription.${name}`, maxAttempts: 1_000_000_000 }, tx);
  return id;
}

export function outboxListener(deps: SubscriptionDeps) {
  // Answered at once (no promise) for an entity no subscription follows: a bulk write runs it per record.
  return (tx: StoreTransaction, event: RecordEvent): Promise<void> | undefined => {
    const subscriptions = subscriptionsForEntity(event.ctx.model, event.entity);
    if (subscriptions.length === 0) return undefined;
    return queueForSubscriptions(deps, tx, event, subscriptions);
  };
}

async function queueForSubscriptions(deps: SubscriptionDeps, tx: StoreTransaction, event: RecordEvent, subscriptions: CompiledSubscription[]): Promise<void> {
  const model = event.ctx.model;
  const entity = model.entities.get(event.entity);
  if (!entity) return;
  const current = event.type === 'decided' ? await tx.get(entity.name, event.id) : undefined;
  const record = event.type === 'deleted' ? event.before : (event.after ?? current?.data);
  const version = event.version ?? current?.version;
  if (!record) return;
  const workflowName = typeof event.details?.['workflow'] === 'string' ? event.details['workflow'] : undefined;
  const stateField = workflowName ? workflowsOf(model).get(workflowName)?.field : undefined;
  for (const subscription of subscriptions) {
    const readable = readableBy(deps, subscription, entity);
    if (!readable) continue;
    const name = eventName(event, subscription, stateField !== undefined && readable.has(stateField));
    if (!name) continue;
    const changed = changedFields(event.before, event.after).filter((field) => readable.has(field));
    if (name === 'updated' && (changed.length === 0 || (subscription.fields && !changed.some((field) => subscription.fields!.has(field))))) continue;
    if (subscription.when) {
      try {
        if ((await evaluateExpression(subscription.when, { ...record, id: event.id }, { clock: deps.clock, origin: `/subscriptions/${subscription.name}/when` })) !== true) continue;
      } catch (error) {
        log.warn(`[subscriptions] ${subscription.name}: filter failed on ${event.entity}/${event.id}: ${(error as Error).message}`);
        continue;
      }
    }
    const seq = await tx.nextSequence(`subscription.${subscription.name}`);
    const at = deps.clock.now().toISOString();
    const eventId = newId();
    const shown: Record<string, unknown> = { id: event.id, ...(version !== undefined ? { version } : {}) };
    for (const [key, value] of Object.entries(record)) if (readable.has(key)) shown[key] = value;
    const body = JSON.stringify({
      id: eventId, subscription: subscription.name, event: name, entity: event.entity, recordId: event.id, seq, at,
      ...(name === 'updated' || name === 'transition' ? { changed } : {}),
      ...(name === 'transition' || name === 'approval' ? { workflow: { action: event.action, ...event.details } } : {}),
      // A merge's deletion names the survivor; a record an undo brought back was seen (and deleted) before.
      ...(name === 'deleted' && event.mergedInto !== undefined ? { mergedInto: event.mergedInto } : {}),
      ...(name === 'created' && event.restored ? { restored: true } : {}),
      record: shown,
    });
    const row: OutboxRow = { subscription: subscription.name, event: name, entity: event.entity, recordId: event.id, seq, at, body, state: 'pending', attempts: 0, nextAttemptAt: at };
    await tx.insert(outboxCollection.name, { id: eventId, version: 1, revision: 0, data: row as unknown as Record<string, unknown> });
    const job = await ensurePump(deps, tx, subscription.name);
    if (job) event.jobs = [...(event.jobs ?? []), job];
  }
}
