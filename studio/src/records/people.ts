// Names of users (owners, user fields, who changed a record), fetched from the people directory in
// one call per set of ids and cached; an id the directory does not know stays as it is. The server's
// own actors (`system:<reason>`: a template install, a workflow trigger, a web form) are named as
// the system, with what it was doing, in the UI language.

import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { peopleByIds, type Person } from '../api/people.ts';
import '../i18n/features.ts';

export const personLabel = (p: Person): string => (p.name ? `${p.name} <${p.email}>` : p.email);
export const personName = (p: Person): string => p.name || p.email;

const systemPrefix = 'system:';

/** How the studio names a server actor (`system:template-install`, `system:trigger wf.t`, `system:webForm:contactUs`). */
export function systemActorName(id: string, t: TFunction): string {
  const reason = id.slice(systemPrefix.length);
  const known = ['template-install', 'import-cli', 'metadata-apply', 'retention'];
  if (known.includes(reason)) return t('people.systemWhy', { why: t(`people.why.${reason}`) });
  if (reason.startsWith('trigger ')) return t('people.systemWhy', { why: t('people.why.trigger') });
  if (reason.startsWith('webForm:')) return t('people.systemWhy', { why: t('people.why.webForm') });
  return t('people.system');
}

/** id → display name for every id given (server actors by what they are). */
export function usePeopleNames(ids: readonly (string | undefined)[]) {
  const { t } = useTranslation();
  const unique = [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0))].sort();
  const users = unique.filter((id) => !id.startsWith(systemPrefix));
  const system = unique.filter((id) => id.startsWith(systemPrefix));
  return useQuery({
    queryKey: ['people', users],
    enabled: unique.length > 0,
    staleTime: 60_000,
    queryFn: async () => (users.length > 0 ? new Map((await peopleByIds(users)).map((p) => [p.id, personName(p)])) : new Map<string, string>()),
    select: (names) => (system.length > 0 ? new Map([...names, ...system.map((id) => [id, systemActorName(id, t)] as const)]) : names),
  });
}
