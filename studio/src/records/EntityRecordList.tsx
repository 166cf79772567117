// Records of one or more entities named as people know them, in a list: each by its title (a link
// to it, its id only in the tooltip) and its entity's label in the UI language, with what is said
// of it. An undo's report names the records it left alone or could not undo this way, not by ids
// and code names. Titles come in one list call per entity (lookup-titles.ts).

import { useQueries } from '@tanstack/react-query';
import type { CSSProperties, ReactNode } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useEntities, useRevision } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { fetchTitles, titlePath } from './lookup-titles.ts';
import { RecordTitle } from './RecordTitle.tsx';

export interface ListedRecord {
  entity: string;
  id: string;
  /** What is said of it ("1 Deal record(s) still refer to this record"). */
  note?: ReactNode;
}

/** id → title for each entity among `records`: one query per entity, shared with useLookupTitles' cache. */
export function useTitlesByEntity(records: readonly { entity: string; id: string }[]) {
  const entities = useEntities();
  const revision = useRevision();
  const byEntity = new Map<string, Set<string>>();
  for (const r of records) byEntity.set(r.entity, (byEntity.get(r.entity) ?? new Set()).add(r.id));
  const names = [...byEntity.keys()].sort();
  const queries = useQueries({
    queries: names.map((entity) => {
      const def = entities.data?.get(entity);
      const field = def?.titleField ?? 'id';
      const path = titlePath(entities.data, entity, field);
      const ids = [...byEntity.get(entity)!].sort();
      return { queryKey: ['titles', revision, entity, path, ids, undefined], enabled: Boolean(def), staleTime: 30_000, queryFn: () => fetchTitles(entity, ids, { field, path }) };
    }),
  });
  // An entity the reader cannot see (or that is gone) has no titles: its records read "(no access)".
  return (entity: string) => {
    const at = names.indexOf(entity);
    const query = at < 0 ? undefined : queries[at];
    return { data: query?.data, isError: Boolean(query?.isError) || (entities.data !== undefined && !entities.data.has(entity)) };
  };
}

export function EntityRecordList({ records, style }: { records: readonly ListedRecord[]; style?: CSSProperties }) {
  const titlesOf = useTitlesByEntity(records);
  const entities = useEntities();
  const { label } = useLanguage();
  const { t } = useTranslation();
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18, overflowWrap: 'anywhere', ...style }}>
      {records.map((r) => (
        <li key={`${r.entity}/${r.id}`} data-entity={r.entity} data-id={r.id}>
          <RecordTitle entity={r.entity} id={r.id} titles={titlesOf(r.entity)} inline />
          <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>{t('recordTitle.ofEntity', { entity: label(entities.data?.get(r.entity)?.label, r.entity) })}</Typography.Text>
          {r.note !== undefined && <>{t('recordTitle.saidOf')}{r.note}</>}
        </li>
      ))}
    </ul>
  );
}
