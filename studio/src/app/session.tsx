// Who is signed in, for every screen: one query (`me`), refreshed after sign-in and sign-out, and
// dropped when any request answers 401. The user's saved language comes with it: signed in, the
// studio shows that language (over the browser's choice), and a switch is saved with the user.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { fetchMe, saveMyLanguage, type Me } from '../api/auth.ts';
import { onUnauthenticated } from '../api/client.ts';
import { setLanguage, showUserLanguage, type Language } from '../i18n/i18n.ts';

export const meKey = ['me'] as const;

export function useSession(): { me: Me | undefined; loading: boolean; refresh: () => Promise<void> } {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: meKey,
    queryFn: async () => {
      const me = await fetchMe();
      // Before the answer is shown: the signed-in frame renders in the user's language from the start.
      showUserLanguage(me?.user.locale);
      return me ?? null;
    },
    staleTime: Infinity,
    retry: false,
  });
  useEffect(() => onUnauthenticated(() => {
    client.setQueryData(meKey, null);
    showUserLanguage(undefined);
  }), [client]);
  return {
    me: query.data ?? undefined,
    loading: query.isPending,
    refresh: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      await client.invalidateQueries({ queryKey: meKey });
    },
  };
}

// Saves one after the other, so quick switches (中文, then EN) end saved as the last one chosen.
let saving: Promise<unknown> = Promise.resolve();

/** Switches the language of a signed-in user: at once on screen, then saved with the user (their notifications and e-mails follow). */
export function useSwitchUserLanguage(): (language: Language) => Promise<void> {
  const client = useQueryClient();
  return useCallback((language: Language) => {
    setLanguage(language);
    const saved = saving.then(async () => client.setQueryData(meKey, await saveMyLanguage(language)));
    saving = saved.catch(() => undefined);
    return saved.then(() => undefined);
  }, [client]);
}
