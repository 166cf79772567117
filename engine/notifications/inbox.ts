// The inbox: one document per notification and recipient in `_notifications`. The id is derived
// from the job that sent it, so a retried job never delivers twice.

import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import type { CollectionSpec, Store, StoreReader } from '../store/store-port.ts';

export const notificationsCollection: CollectionSpec = {
  name: '_notifications',
  indexes: [{ name: 'user', keys: [{ path: ['userId'], direction: 1 }, { path: ['at'], direction: -1 }], unique: false }],
};

export interface NotificationData {
  userId: string;
  subject: string;
  body?: string;
  at: string;
  readAt?: string;
  /** What it is about. */
  entity?: string;
  recordId?: string;
  workflow?: string;
  source?: string;
  /** False when the action asked for e-mail only: kept as the delivery record, not listed. */
  inbox?: boolean;
  /** E-mail delivery: none (no SMTP or no address), sent, or failed (retried with the job). */
  email: { status: 'none' | 'pending' | 'sent'; to?: string; at?: string; error?: string; messageId?: string };
}

export interface Notification extends NotificationData {
  id: string;
  version: number;
}

/** Inserts unless present; returns the stored notification (new or earlier). */
export async function putNotification(store: Store, id: string, data: NotificationData): Promise<Notification> {
  const existing = await store.get(notificationsCollection.name, id);
  if (existing) return { id, version: existing.version, ...(existing.data as unknown as NotificationData) };
  try {
    await store.transaction((tx) => tx.insert(notificationsCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> }));
  } catch (error) {
    if (!(error instanceof CrmError && error.code === 'UNIQUE_VIOLATION')) throw error;
  }
  return { id, version: 1, ...data };
}

export async function updateNotification(store: Store, notification: Notification, change: Partial<NotificationData>): Promise<boolean> {
  const { id, version, ...data } = notification;
  return store.transaction((tx) => tx.replace(notificationsCollection.name, { id, version: version + 1, revision: 0, data: { ...data, ...change } as unknown as Record<string, unknown> }, version));
}

export async function listNotifications(reader: StoreReader, userId: string, options: { unreadOnly?: boolean; limit?: number } = {}): Promise<Notification[]> {
  const rows = await reader.find(notificationsCollection.name, {
    filter: andFilters(where({ userId }), options.unreadOnly ? { kind: 'exists', field: internalField('readAt'), exists: false } : undefined),
    sort: [{ field: internalField('at'), direction: -1 }],
    limit: options.limit ?? 100,
  });
  return rows.map((r) => ({ id: r.id, version: r.version, ...(r.data as unknown as NotificationData) })).filter((n) => n.inbox !== false);
}
