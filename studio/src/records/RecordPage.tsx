// A record page: the entity's default form rendered by rjsf section by section, live form logic,
// save with the version the user saw (a 412 offers reload-and-re-apply), workflow transitions,
// related lists and the timeline. `/e/{entity}/new?field=value` opens a new record prefilled.

import { useQuery } from '@tanstack/react-query';
import { Result } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { duplicateRulesOf } from '../quality/duplicates/merge-model.ts';
import { ApiError } from '../api/client.ts';
import { useEntities, useMetaKind, useRevision } from '../api/meta.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { MergedAway, mergedIntoOf } from './MergedAway.tsx';
import { RecordEditor } from './RecordEditor.tsx';
import { recordQuery } from './record-query.ts';
import { richTextFields } from './rich-text/rich-text-fields.ts';

/** One object for every stored record's page: the editor is memoized on its props. */
const noPrefill: Record<string, unknown> = {};

export default function RecordPage() {
  const { entity: entityName = '', id } = useParams();
  const [search] = useSearchParams();
  const { t } = useTranslation();
  const revision = useRevision();
  const entities = useEntities();
  const forms = useMetaKind('forms');
  const workflows = useMetaKind('workflows');
  const isNew = id === 'new' || id === undefined;
  const record = useQuery({ ...recordQuery(revision, entityName, id ?? ''), enabled: !isNew });
  // One set per entity and forms revision: the editor is memoized on its props.
  const richText = useMemo(() => richTextFields(entityName, forms.data), [entityName, forms.data]);
  if (entities.isPending || forms.isPending || (isNew && workflows.isPending) || (!isNew && record.isPending)) return <PageLoading />;
  const entity = entities.data?.get(entityName);
  if (!entity) return <Result status="404" title={t('app.notFound')} />;
  if (record.isError) {
    const into = mergedIntoOf(record.error);
    // A bookmark or a link to a record merged away: on to the record it went into.
    if (into) return <MergedAway into={into} entityLabel={entity.label} entityName={entity.name} />;
    if (record.error instanceof ApiError && record.error.status === 404) return <Result status="404" title={t('app.notFound')} />;
    return <ErrorState error={record.error} retry={() => void record.refetch()} />;
  }
  const own = [...(forms.data?.values() ?? [])].filter((f) => f.entity === entity.name);
  const form = own.find((f) => f.default) ?? own[0];
  const prefill = isNew ? Object.fromEntries([...search.entries()].filter(([k]) => entity.fields[k])) : noPrefill;
  // A new record starts in each of its workflows' initial state (the server sets it): the form shows it, read-only.
  const startsIn = isNew ? Object.fromEntries([...(workflows.data?.values() ?? [])].flatMap((w) => (w.entity === entity.name && w.field && entity.fields[w.field] ? Object.entries(w.states ?? {}).filter(([, s]) => s.initial).map(([state]) => [w.field!, state]) : []))) : noPrefill;
  const editor = <RecordEditor key={`${entityName}/${id}`} entity={entity} form={form} record={isNew ? undefined : record.data} prefill={prefill} startsIn={startsIn} richText={richText} />;
  // Entities with duplicate rules: a way to the clusters that hold this record.
  if (isNew || !record.data || Object.keys(duplicateRulesOf(entity)).length === 0) return editor;
  return (
    <>
      <div style={{ textAlign: 'end' }}>
        <Link to={`/data-quality/${encodeURIComponent(entity.name)}/duplicates?record=${encodeURIComponent(record.data.id)}`} data-testid="record-find-duplicates">
          {t('duplicates.find')}
        </Link>
      </div>
      {editor}
    </>
  );
}
