// The inbox's server state: approvals waiting for me and my notifications, polled while the app is
// open, refreshed after each decision or "mark read".

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { decideApproval, listNotifications, markNotificationRead, waitingApprovals } from '../api/inbox.ts';

const poll = 30_000;

export function useApprovals() {
  const { i18n } = useTranslation();
  return useQuery({ queryKey: ['approvals', i18n.language], queryFn: waitingApprovals, refetchInterval: poll });
}

export function useNotifications() {
  return useQuery({ queryKey: ['notifications'], queryFn: () => listNotifications({ limit: 50 }), refetchInterval: poll });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({ mutationFn: markNotificationRead, onSuccess: () => client.invalidateQueries({ queryKey: ['notifications'] }) });
}

export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: string; decision: 'approve' | 'reject'; comment?: string }) => decideApproval(args.id, args.decision, args.comment),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['approvals'] }), client.invalidateQueries({ queryKey: ['notifications'] }), client.invalidateQueries({ queryKey: ['transitions'] })]),
  });
}
