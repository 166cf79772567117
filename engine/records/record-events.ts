// What happened to records — the hook workflows, webhooks and notifications hang on. Two moments:
// inside the write's transaction (what must commit with the write, e.g. the jobs a trigger queues:
// a crash can never keep the write and lose them; a failure here fails the write), and after the
// commit (work that may start now, e.g. running those jobs; a failure there never undoes the write).

import type { StoreTransaction } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';
import { log } from '../kernel/log.ts';

export interface RecordEvent {
  /** `decided`: a step of an approval on the record was decided without moving it (no before/after). */
  type: 'created' | 'updated' | 'deleted' | 'decided';
  entity: string;
  id: string;
  before?: RecordValues;
  after?: RecordValues;
  /** The record's version after the write (created and updated). */
  version?: number;
  ctx: RequestContext;
  /** The audited action when it is not a plain write (`transition`, `approval.approve`, …) and its details. */
  action?: string;
  details?: Record<string, unknown>;
  /** Jobs queued for this event inside its transaction, to be started once it committed. */
  jobs?: string[];
}

export type RecordListener = (event: RecordEvent) => Promise<void> | void;
export type TransactionListener = (tx: StoreTransaction, event: RecordEvent) => Promise<void>;

/** What the write verbs need of the events: the listeners that run inside their transaction. */
export interface InTransactionEvents {
  runInTransaction(tx: StoreTransaction, events: RecordEvent[]): Promise<void>;
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

  async runInTransaction(tx: StoreTransaction, events: RecordEvent[]): Promise<void> {
    for (const event of events) for (const listener of this.transactionListeners) await listener(tx, event);
  }

  subscribe(listener: RecordListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  async publish(events: RecordEvent[]): Promise<void> {
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          await listener(event);
        } catch (error) {
          log.error(`record listener failed on ${event.type} ${event.entity}/${event.id}:`, (error as Error).message);
        }
      }
    }
  }
}
