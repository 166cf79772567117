// Which record a message belongs to, by its Message-ID: every notification e-mailed about a record
// and every message received onto one is noted here, so that a reply (In-Reply-To / References
// naming one of them) lands on the same record. A received message noted already is a redelivery.

import { createHash } from 'node:crypto';
import type { CollectionSpec, Store, StoreReader } from '../store/store-port.ts';

export const mailThreadsCollection: CollectionSpec = { name: '_mailThreads', indexes: [] };

export interface MailThread {
  /** The record the message is about. */
  entity: string;
  recordId: string;
  /** sent: a notification we e-mailed; received: a message that became `interaction`. */
  source: 'sent' | 'received';
  interaction?: { entity: string; id: string };
  at: string;
}

/** Message-IDs compare without their angle brackets, case-insensitively. */
const idOf = (messageId: string): string => `mt.${createHash('sha256').update(messageId.trim().replace(/^<|>$/g, '').toLowerCase()).digest('hex').slice(0, 40)}`;

export async function noteThread(store: Store, messageId: string, thread: MailThread): Promise<void> {
  const id = idOf(messageId);
  await store.transaction(async (tx) => {
    const current = await tx.get(mailThreadsCollection.name, id);
    const data = thread as unknown as Record<string, unknown>;
    if (current) await tx.replace(mailThreadsCollection.name, { id, version: current.version + 1, revision: 0, data }, current.version);
    else await tx.insert(mailThreadsCollection.name, { id, version: 1, revision: 0, data });
  });
}

export async function findThread(reader: StoreReader, messageId: string): Promise<MailThread | undefined> {
  const row = await reader.get(mailThreadsCollection.name, idOf(messageId));
  return row ? (row.data as unknown as MailThread) : undefined;
}

/** The thread of a reply: the first of its In-Reply-To and References (newest first) that we know. */
export async function threadOfReply(reader: StoreReader, ids: readonly string[]): Promise<MailThread | undefined> {
  for (const id of ids) {
    const thread = await findThread(reader, id);
    if (thread) return thread;
  }
  return undefined;
}
