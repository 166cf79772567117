// A dry run as the admin reads it before confirming: why it would be refused, the items it changes
// (each expandable to its property-by-property diff), conflicts with the admin's own changes and how
// each resolves, records the new rules would refuse, duplicates that block a new unique index,
// sample data and data that would be deleted.

import { Alert, Collapse, Descriptions, Empty, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RecordImpact, UniqueIndexClash } from '../api/templates.ts';
import { useLanguage } from '../app/use-language.ts';
import { useLookupTitles } from '../records/lookup-titles.ts';
import { RecordTitle, RecordTitles } from '../records/RecordTitle.tsx';
import { kindLabel, showValue, type DryRunModel } from './dry-run-model.ts';
import { ToneTag } from './ToneTag.tsx';
import { ChangeDiff, ReadableValue } from './ChangeDiff.tsx';
import { IssueMessage } from './impact/IssueMessage.tsx';
import { IssuePlace, usePlaceLookup } from './impact/IssuePlace.tsx';
import { recordPlace } from './impact/issue-place.ts';
import { useEntityLabels } from './impact/use-entity-labels.ts';
import { RemovedFieldValues } from './impact/RemovedFieldValues.tsx';
import { StateMoves } from './impact/StateMoves.tsx';

const actionColor = { create: 'green', update: 'blue', delete: 'red' } as const;

/** A unique index blocked by duplicates, its example records by their titles (ids in tooltips). */
function UniqueLine({ clash }: { clash: UniqueIndexClash }) {
  const { t } = useTranslation();
  // The sentence is translated whole; the examples go where its {{examples}} is.
  const labels = useEntityLabels();
  const [before, after = ''] = t('dryRun.uniqueLine', { entity: labels.entity(clash.entity), fields: clash.fields.map((f) => labels.field(clash.entity, f)).join(', '), count: clash.duplicates, examples: '\u0000' }).split('\u0000');
  return (
    <>
      {before}
      <RecordTitles entity={clash.entity} ids={clash.examples} />
      {after}
    </>
  );
}

/** Records the new rules would refuse, by their titles (one titles call), with why. */
function ImpactExamples({ impact }: { impact: RecordImpact }) {
  const titles = useLookupTitles(impact.entity, impact.examples.map((e) => e.id));
  const labels = useEntityLabels();
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {impact.examples.map((e) => (
        <li key={e.id}>
          <RecordTitle entity={impact.entity} id={e.id} titles={titles} inline />: {e.issues.map((x) => `${recordPlace(labels, impact.entity, x.path)}${x.message}`).join('; ')}
        </li>
      ))}
    </ul>
  );
}

export function DryRunView({ report }: { report: DryRunModel }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const overlay = report.overlayConflicts ?? [];
  const shared = report.sharedConflicts ?? [];
  const impact = (report.impact ?? []).filter((i) => i.invalid > 0);
  const unique = report.uniqueIndexes ?? [];
  const issues = report.issues;
  const lookup = usePlaceLookup();
  const labels = useEntityLabels();
  return (
    <div data-testid="dry-run">
      {issues.length > 0 ? (
        <Alert
          type="error"
          showIcon
          title={t('dryRun.refused', { count: issues.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="dry-run-issues">
              {issues.map((i, n) => (
                <li key={n}>
                  <IssuePlace issue={i} lookup={lookup} />: <IssueMessage issue={i} clashes={unique} />
                </li>
              ))}
            </ul>
          }
        />
      ) : (
        <Alert type="success" showIcon title={t('dryRun.canApply')} />
      )}

      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
        {t('dryRun.items', { count: report.items.length })}
      </Typography.Title>
      {report.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dryRun.noItems')} />
      ) : (
        <Collapse
          size="small"
          data-testid="dry-run-items"
          items={report.items.map((item) => ({
            key: `${item.kind}/${item.name}`,
            label: (
              <span data-testid={`dry-run-item-${item.kind}-${item.name}`}>
                <ToneTag tone={actionColor[item.action]}>{t(`dryRun.action.${item.action}`)}</ToneTag>{' '}
                {kindLabel(t, item.kind)} <strong>{label(item.label, item.name)}</strong>
                {item.label !== undefined && <span style={{ color: '#4b5563' }}> ({item.name})</span>}
                {item.changes && item.action === 'update' ? <span style={{ color: '#4b5563' }}> · {t('dryRun.changeCount', { count: item.changes.length })}</span> : null}
              </span>
            ),
            children: item.changes && item.changes.length > 0 ? <ChangeDiff changes={item.changes} /> : <Typography.Text>{t('dryRun.noDiff')}</Typography.Text>,
          }))}
        />
      )}

      {(report.templates ?? []).length > 0 && (
        <section data-testid="dry-run-templates">
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('dryRun.templates')}
          </Typography.Title>
          <ul>
            {report.templates!.map((tpl) => (
              <li key={tpl.name}>
                <ToneTag tone={tpl.action === 'unchanged' ? undefined : actionColor[tpl.action]}>{t(`dryRun.templateAction.${tpl.action}`)}</ToneTag>
                <strong>{tpl.name}</strong> {tpl.fromVersion && tpl.toVersion && tpl.fromVersion !== tpl.toVersion ? `${tpl.fromVersion} → ${tpl.toVersion}` : (tpl.toVersion ?? tpl.fromVersion)}
              </li>
            ))}
          </ul>
        </section>
      )}

      {overlay.length > 0 && (
        <section data-testid="dry-run-overlay-conflicts">
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('dryRun.overlayConflicts', { count: overlay.length })}
          </Typography.Title>
          <Typography.Paragraph>{t('dryRun.overlayConflictsIntro')}</Typography.Paragraph>
          <List
            bordered
            size="small"
            dataSource={overlay}
            renderItem={(c) => (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <div>
                    <IssuePlace issue={c} lookup={lookup} /> <ToneTag tone={c.resolution === 'overlayKept' ? 'blue' : 'orange'}>{t(`dryRun.resolution.${c.resolution}`)}</ToneTag>
                  </div>
                  <div>{t(`dryRun.conflictType.${c.type}`)}</div>
                  <Descriptions
                    size="small"
                    column={{ xs: 1, md: 3 }}
                    items={[
                      { key: 'o', label: t('dryRun.previousBase'), children: <ReadableValue value={c.previousBase} /> },
                      { key: 'n', label: t('dryRun.newBase'), children: <ReadableValue value={c.newBase} /> },
                      { key: 'a', label: t('dryRun.yourValue'), children: <ReadableValue value={c.overlay} /> },
                    ]}
                  />
                </div>
              </List.Item>
            )}
          />
        </section>
      )}

      {shared.length > 0 && (
        <section data-testid="dry-run-shared-conflicts">
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('dryRun.sharedConflicts', { count: shared.length })}
          </Typography.Title>
          <List
            bordered
            size="small"
            dataSource={shared}
            renderItem={(c) => (
              <List.Item>
                <span>
                  <IssuePlace issue={c} lookup={lookup} /> {t('dryRun.sharedConflict', { installedBy: c.installedBy, incomingBy: c.incomingBy, installed: showValue(c.installed), incoming: showValue(c.incoming) })}{' '}
                  <ToneTag tone={c.resolution === 'refused' ? 'red' : 'blue'}>{t(`dryRun.resolution.${c.resolution}`)}</ToneTag>
                </span>
              </List.Item>
            )}
          />
        </section>
      )}

      <RemovedFieldValues impact={report.impact ?? []} />
      <StateMoves impact={report.impact ?? []} />

      {impact.length > 0 && (
        <section data-testid="dry-run-impact">
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('dryRun.impact')}
          </Typography.Title>
          {impact.map((i) => (
            <Alert
              key={i.entity}
              type="warning"
              style={{ marginBottom: 8 }}
              title={t('dryRun.impactLine', { entity: labels.entity(i.entity), invalid: i.invalid, records: i.records })}
              description={<ImpactExamples impact={i} />}
            />
          ))}
        </section>
      )}

      {unique.length > 0 && (
        <section data-testid="dry-run-unique">
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('dryRun.uniqueIndexes')}
          </Typography.Title>
          {unique.map((u) => (
            <Alert key={`${u.entity}/${u.fields.join(',')}`} type="error" style={{ marginBottom: 8 }} title={<UniqueLine clash={u} />} />
          ))}
        </section>
      )}

      {(report.sampleData ?? []).length > 0 && (
        <section data-testid="dry-run-sample">
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            {t('dryRun.sampleData')}
          </Typography.Title>
          <ul>
            {report.sampleData!.map((s) => (
              <li key={s.entity}>{t('dryRun.sampleLine', { entity: labels.entity(s.entity), records: s.records, loaded: s.loaded, skipped: s.skipped })}</li>
            ))}
          </ul>
        </section>
      )}

      {(report.deletedData ?? []).length > 0 && (
        <Alert
          type="warning"
          style={{ marginTop: 16 }}
          title={t('dryRun.deletedData')}
          description={<ul style={{ margin: 0 }}>{report.deletedData!.map((d) => <li key={d.entity}>{t('dryRun.deletedLine', { entity: labels.entity(d.entity), count: d.records })}</li>)}</ul>}
        />
      )}
    </div>
  );
}
