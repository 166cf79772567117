// An issue of a dry run as the admin reads it. A unique index that existing duplicates block comes
// with the ids of a few of them in its message; the report also carries the clash itself, so the
// sentence is said here with those records by their titles (ids only in tooltips).

import { useTranslation } from 'react-i18next';
import { RecordTitles } from '../../records/RecordTitle.tsx';
import { useEntityLabels } from './use-entity-labels.ts';

interface Issue {
  kind?: string;
  name?: string;
  path: string;
  message: string;
  code?: string;
}
interface Clash {
  entity: string;
  fields?: string[];
  duplicates?: number;
  examples?: unknown[];
}

/** The clash an issue reports, if it is a UNIQUE_INDEX issue of the same entity and field. */
export function clashOf(issue: Issue, clashes: readonly Clash[]): Clash | undefined {
  if (issue.code !== 'UNIQUE_INDEX') return undefined;
  return clashes.find((c) => c.entity === issue.name && `/fields/${(c.fields?.[0] ?? '').split('.')[0]}` === issue.path);
}

export function IssueMessage({ issue, clashes }: { issue: Issue; clashes: readonly Clash[] }) {
  const { t } = useTranslation();
  const labels = useEntityLabels();
  const clash = clashOf(issue, clashes);
  if (!clash) return <>{issue.message}</>;
  const examples = (clash.examples ?? []).filter((x): x is string => typeof x === 'string');
  return (
    <>
      {t('recordTitle.uniqueIssue', { count: clash.duplicates ?? examples.length, fields: (clash.fields ?? []).map((f) => labels.field(clash.entity, f)).join(', ') })}{' '}
      <RecordTitles entity={clash.entity} ids={examples} />
    </>
  );
}
