// Who is signed in, for every screen: one query (`me`), refreshed after sign-in and sign-out, and
// dropped when any request answers 401.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { fetchMe, type Me } from '../api/auth.ts';
import { onUnauthenticated } from '../api/client.ts';

export const meKey = ['me'] as const;

export function useSession(): { me: Me | undefined; loading: boolean; refresh: () => Promise<void> } {
  const client = useQueryClient();
  const query = useQuery({ queryKey: meKey, queryFn: async () => (await fetchMe()) ?? null, staleTime: Infinity, retry: false });
  useEffect(() => onUnauthenticated(() => client.setQueryData(meKey, null)), [client]);
  return {
    me: query.data ?? undefined,
    loading: query.isPending,
    refresh: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      await client.invalidateQueries({ queryKey: meKey });
    },
  };
}
