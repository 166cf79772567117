// Approvals waiting for the caller (approve or reject with a comment) and the caller's
// notifications (unread count, mark read). Polled, not pushed: the header asks every 30 s.

import type { components } from '../../../sdk/src/generated/schema.ts';
import { getJson, postJson } from './client.ts';

export type Approval = components['schemas']['crm.Approval'];

export type Notification = components['schemas']['crm.Notification'];

export async function waitingApprovals(): Promise<Approval[]> {
  return (await getJson<{ items: Approval[] }>('/api/approvals')).items;
}

export function decideApproval(id: string, decision: 'approve' | 'reject', comment?: string): Promise<Approval> {
  return postJson<Approval>(`/api/approvals/${encodeURIComponent(id)}/${decision}`, comment ? { comment } : {});
}

export async function listNotifications(options: { unread?: boolean; limit?: number } = {}): Promise<Notification[]> {
  return (await getJson<{ items: Notification[] }>('/api/notifications', { unread: options.unread ? 1 : undefined, limit: options.limit })).items;
}

export function markNotificationRead(id: string): Promise<Notification> {
  return postJson<Notification>(`/api/notifications/${encodeURIComponent(id)}/read`);
}
