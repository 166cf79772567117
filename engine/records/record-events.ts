// What happened to records — the hook workflows, webhooks and notifications hang on. Two moments:
// inside the write's transaction (what must commit with the write, e.g. the jobs a trigger queues:
// a crash can never keep the write and lose them; a failure here fails the write), and after the
// commit (work that may start now, e.g. running those jobs; a failure there never undoes the write).

import type { StoreTransaction } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';
import { log } from '../kernel/log.ts';
import type { MaybePromise } from '../kernel/maybe-promise.ts';

export interface RecordEvent {
  /** `decided`: a step of an approval on the record was decided without moving it (no before/after). */
  type: 'created' | 'updated' | 'deleted' | 'decided';
  entity: string;
  id: string;
  before?: RecordValues;
  after?: RecordValues;
  /** The record's version after the write (created and updated); for deleted, the version that was deleted. */
  version?: number;
  ctx: RequestContext;
  /** The audited action when it is not a plain write (`transition`, `approval.approve`, …) and its details. */
  action?: string;
  details?: Record<string, unknown>;
  /** Jobs queued for this event inside its transaction, to be started once it committed. */
  jobs?: string[];
  /**
   * Written by a maintenance writer (a merge, a cleansing job, their undos), which does its own
   * bookkeeping of files, history and workflow state: in its transaction only the listeners that
   * follow every change hear it (subscribed with `{ maintenance: true }`: the outbox, tombstones).
   */
  maintenance?: true;
  /** deleted: a merge took the record into this one (the survivor). */
  mergedInto?: string;
  /** created: an undo brought back a record that was deleted (a merge's undo): its id was seen before. */
  restored?: true;
}

export type RecordListener = (event: RecordEvent) => MaybePromise<void>;
/** A listener with nothing to do for an event returns at once, without a promise: bulk writers (imports) run the listeners per record. */
export type TransactionListener = (tx: StoreTransaction, event: RecordEvent) => MaybePromise<void>;

/** What the write verbs need of the events: the listeners that run inside their transaction. */
export interface InTransactionEvents {
  runInTransaction(tx: StoreTransaction, events: RecordEvent[]): MaybePromise<void>;
}

/** Both moments, for a writer that runs its own transactions (a merge, a cleansing job, an undo). */
export interface RecordEventChannel extends InTransactionEvents {
  publish(events: RecordEvent[]): MaybePromise<void>;
}

export class RecordEvents implements RecordEventChannel {
  private readonly listeners: RecordListener[] = [];
  private readonly transactionListeners: TransactionListener[] = [];
  /** Those of the transaction listeners that hear maintenance writes too. */
  private readonly maintenanceListeners: TransactionListener[] = [];

  /**
   * Runs inside every record write's transaction, before it commits; with `maintenance`, inside a
   * maintenance writer's too (a merge, a cleansing job, their undos: RecordEvent.maintenance).
   */
  subscribeInTransaction(listener: TransactionListener, options: { maintenance?: boolean } = {}): () => void {
    this.transactionListeners.push(listener);
    if (options.maintenance) this.maintenanceListeners.push(listener);
    return () => {
      for (const list of [this.transactionListeners, this.maintenanceListeners]) {
        const index = list.indexOf(listener);
        if (index >= 0) list.splice(index, 1);
      }
    };
  }

  private listenersFor(event: RecordEvent): TransactionListener[] {
    return event.maintenance ? this.maintenanceListeners : this.transactionListeners;
  }

  /** Synchronous until a listener has work to wait for (with ALS active, every promise costs a bulk write per record). */
  runInTransaction(tx: StoreTransaction, events: RecordEvent[]): MaybePromise<void> {
    for (let e = 0; e < events.length; e++) {
      const listeners = this.listenersFor(events[e]!);
      for (let l = 0; l < listeners.length; l++) {
        const pending = listeners[l]!(tx, events[e]!);
        if (pending instanceof Promise) return this.runInTransactionAfter(pending, tx, events, e, l + 1);
      }
    }
    return undefined;
  }

  private async runInTransactionAfter(pending: Promise<void>, tx: StoreTransaction, events: RecordEvent[], fromEvent: number, fromListener: number): Promise<void> {
    await pending;
    for (let e = fromEvent, l = fromListener; e < events.length; e++, l = 0) {
      const listeners = this.listenersFor(events[e]!);
      for (; l < listeners.length; l++) await listeners[l]!(tx, events[e]!);
    }
  }

  subscribe(listener: RecordListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Never fails: a listener's failure is logged. Synchronous until a listener has work to wait for. */
  publish(events: RecordEvent[]): MaybePromise<void> {
    for (let e = 0; e < events.length; e++) {
      for (let l = 0; l < this.listeners.length; l++) {
        const pending = this.notify(l, events[e]!);
        if (pending) return this.publishAfter(pending, events, e, l + 1);
      }
    }
    return undefined;
  }

  private async publishAfter(pending: Promise<void>, events: RecordEvent[], fromEvent: number, fromListener: number): Promise<void> {
    await pending;
    for (let e = fromEvent, l = fromListener; e < events.length; e++, l = 0) {
      for (; l < this.listeners.length; l++) await this.notify(l, events[e]!);
    }
  }

  /** Listener `index` told of `event`; a promise only when it has work under way (its failure logged, never thrown). */
  private notify(index: number, event: RecordEvent): Promise<void> | undefined {
    try {
      const pending = this.listeners[index]!(event);
      return pending instanceof Promise ? pending.catch((error: unknown) => listenerFailed(event, error)) : undefined;
    } catch (error) {
      listenerFailed(event, error);
      return undefined;
    }
  }
}

function listenerFailed(event: RecordEvent, error: unknown): void {
  log.error(`record listener failed on ${event.type} ${event.entity}/${event.id}:`, (error as Error).message);
}
