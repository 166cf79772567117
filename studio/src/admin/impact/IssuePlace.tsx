// An issue's place as the admin reads it — "Form Enrolment form › Section Student › Field Student
// name › Widget" — in the UI language, with the JSON pointer after it, quieter (issue-place.ts).

import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MetaDocument } from '../../api/designer.ts';
import { useMetaKind } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { pluralOf } from '../../api/designer.ts';
import { issuePlace, type PlaceLookup } from './issue-place.ts';

/** Looks items up in the documents under review, then in the saved metadata the studio holds. */
export function usePlaceLookup(documents: readonly MetaDocument[] = []): PlaceLookup {
  const { label } = useLanguage();
  const saved = {
    entities: useMetaKind('entities').data,
    forms: useMetaKind('forms').data,
    views: useMetaKind('views').data,
    workflows: useMetaKind('workflows').data,
    dashboards: useMetaKind('dashboards').data,
  } as Record<string, Map<string, unknown> | undefined>;
  return {
    document: (kind, name) => (documents.find((d) => d.kind === kind && d.name === name) ?? saved[pluralOf(kind)]?.get(name)) as Record<string, unknown> | undefined,
    label: (l, fallback) => (l === undefined ? fallback : label(l, fallback)),
  };
}

export function IssuePlace({ issue, lookup }: { issue: { kind?: string; name?: string; path: string }; lookup: PlaceLookup }) {
  const { t } = useTranslation();
  const place = issuePlace(issue, lookup);
  const partWord = (part: string) => t(`issuePlace.part.${part}`, { defaultValue: t(`dryRun.kinds.${part}`, { defaultValue: part }) });
  const propertyWord = (property: string) => t(`issuePlace.property.${property}`, { defaultValue: t(`entityDesigner.opt.${property}`, { defaultValue: property }) });
  const words = [
    ...place.steps.map((s) => ({ key: `${s.part}/${s.name}`, text: `${partWord(s.part)} ${s.label === s.name ? s.name : t('issuePlace.labelled', { label: s.label })}` })),
    ...place.properties.map((p, n) => ({ key: `p${n}/${p}`, text: /^\d+$/.test(p) ? `#${Number(p) + 1}` : propertyWord(p) })),
  ];
  return (
    <span data-testid="issue-place">
      <strong>{words.map((w) => w.text).join(' › ')}</strong>
      {issue.path && (
        <>
          {' '}
          <Typography.Text type="secondary" style={{ fontSize: '0.85em' }} data-testid="issue-pointer">
            ({issue.path})
          </Typography.Text>
        </>
      )}
    </span>
  );
}
