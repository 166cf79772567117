// What happened to records, told after the transaction committed — the hook workflows, webhooks
// and notifications hang on. A listener's failure is its own: it never undoes the write.

import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

export interface RecordEvent {
  type: 'created' | 'updated' | 'deleted';
  entity: string;
  id: string;
  before?: RecordValues;
  after?: RecordValues;
  ctx: RequestContext;
}

export type RecordListener = (event: RecordEvent) => Promise<void> | void;

export class RecordEvents {
  private readonly listeners: RecordListener[] = [];

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
          console.error(`record listener failed on ${event.type} ${event.entity}/${event.id}:`, (error as Error).message);
        }
      }
    }
  }
}
