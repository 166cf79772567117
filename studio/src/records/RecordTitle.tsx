// Records named by their titles where the studio would otherwise show their ids: a link to the
// record, its id only in the tooltip; a record the reader may not read (or that is gone) is a
// neutral "(no access)", never its id. Titles come from lookup-titles.ts (one list call per entity).

import type { UseQueryResult } from '@tanstack/react-query';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLookupTitles } from './lookup-titles.ts';

type Titles = Pick<UseQueryResult<Map<string, string>>, 'data' | 'isError'>;

/** The text standing for record `id`: its title, '…' while titles load, "(no access)" when it has none. */
export function useTitleText(titles: Titles) {
  const { t } = useTranslation();
  return (id: string): { text: string; known: boolean } => {
    const title = titles.data?.get(id);
    if (title !== undefined) return { text: title, known: true };
    return { text: titles.data || titles.isError ? t('recordTitle.noAccess') : '…', known: false };
  };
}

/**
 * One record by its title: a link to it when `link` and the reader may read it; the id as the tooltip.
 * `inline`: the link stands in a sentence, underlined so that it is told from the text by more than colour.
 */
export function RecordTitle({ entity, id, titles, link = true, inline = false }: { entity: string; id: string; titles: Titles; link?: boolean; inline?: boolean }) {
  const { text, known } = useTitleText(titles)(id);
  if (link && known) {
    return (
      <Link to={`/e/${entity}/${id}`} target="_blank" title={id} data-record-id={id} style={inline ? { textDecoration: 'underline' } : undefined}>
        {text}
      </Link>
    );
  }
  return (
    <span title={id} data-record-id={id} style={known ? undefined : { color: '#4b5563' }}>
      {text}
    </span>
  );
}

/** Records of `entity` by their titles in a sentence, separated by commas (titles fetched here, as `viewAs` when given). */
export function RecordTitles({ entity, ids, link = true, viewAs }: { entity: string; ids: readonly string[]; link?: boolean; viewAs?: string }) {
  const titles = useLookupTitles(entity, [...ids], undefined, viewAs);
  return (
    <>
      {ids.map((id, n) => (
        <Fragment key={id}>
          {n > 0 ? ', ' : null}
          <RecordTitle entity={entity} id={id} titles={titles} link={link} inline />
        </Fragment>
      ))}
    </>
  );
}
