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
}

export type RecordListener = (event: RecordEvent) => MaybePromise<void>;
/** A listener with nothing to do for an event returns at once, without a promise: bulk writers (imports) run the listeners per record. */
export type TransactionListener = (tx: StoreTransaction, event: RecordEvent) => MaybePromise<void>;

/** What the write verbs need of the events: the listeners that run inside their transaction. */
export interface InTransactionEvents {
  runInTransaction(tx: StoreTransaction, events: RecordEvent[]): MaybePromise<void>;
}

export class RecordEvents implements InTransactionEvents {
  private readonly listeners: RecordListener[] = [];
  private readonly transactionListeners: TransactionListener[] = [];

  /** Runs inside every record write's transaction, before it commits. */
  subscribeInTransaction(listener: TransactionListener): () => void {
    this.transactionListeners.push(listener);
    return () => {
      const index = this.transactionListeners.indexOf(listener);
      if (index >= 0) this.transactionListeners.splice(index, 1);
    };
  }

  /** Synchronous until a listener has work to wait for (with ALS active, every promise costs a bulk write per record). */
  runInTransaction(tx: StoreTransaction, events: RecordEvent[]): MaybePromise<void> {
    for (let e = 0; e < events.length; e++) {
      for (let l = 0; l < this.transactionListeners.length; l++) {
        const pending = this.transactionListeners[l]!(tx, events[e]!);
        if (pending instanceof Promise) return this.runInTransactionAfter(pending, tx, events, e, l + 1);
      }
    }
    return undefined;
  }

  private async runInTransactionAfter(pending: Promise<void>, tx: StoreTransaction, events: RecordEvent[], fromEvent: number, fromListener: number): Promise<void> {
    await pending;
    for (let e = fromEvent, l = fromListener; e < events.length; e++, l = 0) {
      for (; l < this.transactionListeners.length; l++) await this.transactionListeners[l]!(tx, events[e]!);
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
