// What an undone merge left as it is: how many re-pointed records someone changed since, and which —
// each by its title (linked) and its entity's label, not by its id and code name.

import { useTranslation } from 'react-i18next';
import type { ChangedSince } from '../../api/duplicates.ts';
import { EntityRecordList } from '../../records/EntityRecordList.tsx';

/** At most this many are named (a merge may have re-pointed many records): the count says how many in all. */
const named = 20;

export function ChangedSinceMerge({ changed }: { changed: readonly ChangedSince[] }) {
  const { t } = useTranslation();
  // A record re-pointed through two of its fields is named once.
  const records = [...new Map(changed.map((c) => [`${c.entity}/${c.id}`, { entity: c.entity, id: c.id }])).values()];
  return (
    <div data-testid="merge-changed-since">
      <div>{t('duplicates.changedSince', { count: changed.length })}</div>
      <EntityRecordList records={records.slice(0, named)} />
    </div>
  );
}
