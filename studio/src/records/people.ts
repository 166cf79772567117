// Names of users (owners, user fields, who changed a record), fetched from the people directory in
// one call per set of ids and cached; an id the directory does not know stays as it is.

import { useQuery } from '@tanstack/react-query';
import { peopleByIds, type Person } from '../api/people.ts';

export const personLabel = (p: Person): string => (p.name ? `${p.name} <${p.email}>` : p.email);
export const personName = (p: Person): string => p.name || p.email;

/** id → display name for every id given. */
export function usePeopleNames(ids: readonly (string | undefined)[]) {
  const unique = [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0))].sort();
  return useQuery({
    queryKey: ['people', unique],
    enabled: unique.length > 0,
    staleTime: 60_000,
    queryFn: async () => new Map((await peopleByIds(unique)).map((p) => [p.id, personName(p)])),
  });
}
