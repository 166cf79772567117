// Change history (/admin/history): every metadata revision with who, when and what changed item by
// item (said in the reader's language, each item's change property by property); revert to any
// revision through its dry run; and, apart from it, the admin's own overlays over template items
// next to the template's base.

import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Collapse, Empty, List, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getRevision, listRevisions, revertDryRun, revertTo, revisionsKey, type RevertDryRun, type RevisionSummary } from '../api/history.ts';
import { navigationKey } from '../api/meta.ts';
import { templatesKey } from '../api/templates.ts';
import { DryRunDialog } from '../admin/DryRunDialog.tsx';
import { ChangeDiff } from '../admin/ChangeDiff.tsx';
import { kindLabel, type DryRunModel } from '../admin/dry-run-model.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { formatDateTime } from '../i18n/format.ts';
import { usePeopleNames } from '../records/people.ts';
import { OverlayList } from './OverlayList.tsx';
import { RevisionSummaryLine } from './RevisionSummaryLine.tsx';
import { ToneTag } from '../admin/ToneTag.tsx';

const actionColor = { create: 'green', update: 'blue', delete: 'red' } as const;

export function revertModel(report: RevertDryRun): DryRunModel {
  return { items: report.changes.map((c) => ({ kind: c.kind, name: c.name, action: c.action, ...(c.label !== undefined ? { label: c.label } : {}), changes: c.diff })), issues: report.issues, impact: report.impact, uniqueIndexes: report.uniqueIndexes };
}

export default function HistoryPage() {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('history.title')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'revisions', label: t('history.revisions'), children: <RevisionList /> },
          { key: 'overlays', label: t('history.overlays'), children: <OverlayList /> },
        ]}
      />
    </div>
  );
}

function RevisionList() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { message } = App.useApp();
  const client = useQueryClient();
  // Newest first, a page at a time: a long-lived system has more revisions than one answer holds.
  const revisions = useInfiniteQuery({ queryKey: revisionsKey, queryFn: ({ pageParam }) => listRevisions(pageParam), initialPageParam: undefined as number | undefined, getNextPageParam: (last) => last.next ?? undefined });
  const shown = revisions.data?.pages.flatMap((p) => p.items) ?? [];
  const names = usePeopleNames(shown.map((r) => r.by));
  const [revert, setRevert] = useState<number>();

  if (revisions.isPending) return <PageLoading />;
  if (revisions.isError) return <ErrorState error={revisions.error} retry={() => void revisions.refetch()} />;
  const who = (id: string) => names.data?.get(id) ?? id;
  const latest = shown[0]?.revision;

  return (
    <>
      <Typography.Paragraph>{t('history.intro')}</Typography.Paragraph>
      {shown.length === 0 && <Empty description={t('history.none')} />}
      <List
        bordered
        dataSource={shown}
        data-testid="revisions"
        renderItem={(r: RevisionSummary) => (
          <List.Item
            key={r.revision}
            data-testid={`revision-${r.revision}`}
            actions={
              r.revision === latest
                ? [<ToneTag key="current">{t('history.current')}</ToneTag>]
                : [
                    <Button key="revert" size="small" onClick={() => setRevert(r.revision)} data-testid={`revert-${r.revision}`} aria-label={t('history.revertTo', { revision: r.revision })}>
                      {t('history.revert')}
                    </Button>,
                  ]
            }
          >
            <div style={{ width: '100%', minWidth: 0 }}>
              <Space wrap size={[8, 0]}>
                <strong>{t('history.revisionNumber', { revision: r.revision })}</strong>
                <time dateTime={r.at}>{formatDateTime(r.at, language)}</time>
                <span>{t('history.by', { who: who(r.by) })}</span>
              </Space>
              <RevisionSummaryLine revision={r} />
              <RevisionChanges revision={r.revision} count={r.changes.length} />
            </div>
          </List.Item>
        )}
      />
      {revisions.hasNextPage && (
        <Button style={{ marginTop: 12 }} loading={revisions.isFetchingNextPage} onClick={() => void revisions.fetchNextPage()}>{t('history.older')}</Button>
      )}
      <DryRunDialog<RevertDryRun, { revision: number }>
        step={revert !== undefined ? { key: `revert/${revert}/${latest}`, title: t('history.revertTitle', { revision: revert }), confirmLabel: t('history.revertConfirm') } : undefined}
        dryRun={() => revertDryRun(revert!)}
        toModel={revertModel}
        apply={() => revertTo(revert!)}
        onApplied={(answer) => {
          setRevert(undefined);
          void message.success(t('history.reverted', { revision: answer.revision }));
          void client.invalidateQueries({ queryKey: revisionsKey });
          void client.invalidateQueries({ queryKey: navigationKey });
          void client.invalidateQueries({ queryKey: templatesKey });
          void client.invalidateQueries({ queryKey: ['overlays'] });
        }}
        onClose={() => setRevert(undefined)}
      />
    </>
  );
}

/** A revision's items, each opening to its diff (loaded when first opened). */
function RevisionChanges({ revision, count }: { revision: number; count: number }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const [open, setOpen] = useState(false);
  const detail = useQuery({ queryKey: ['revision', revision], queryFn: () => getRevision(revision), enabled: open, staleTime: Infinity });
  return (
    <Collapse
      ghost
      size="small"
      onChange={(keys) => setOpen(keys.length > 0)}
      items={[
        {
          key: 'changes',
          label: t('history.changes', { count }),
          children: detail.isPending ? (
            <PageLoading />
          ) : detail.isError ? (
            <ErrorState error={detail.error} />
          ) : (
            <Collapse
              size="small"
              items={detail.data.changes.map((c) => ({
                key: `${c.kind}/${c.name}`,
                label: (
                  <span>
                    <ToneTag tone={actionColor[c.action]}>{t(`dryRun.action.${c.action}`)}</ToneTag>{' '}
                    {kindLabel(t, c.kind)} <strong>{label(c.label, c.name)}</strong>
                    {c.label !== undefined && <span style={{ color: '#4b5563' }}> ({c.name})</span>}
                  </span>
                ),
                children: c.diff.length > 0 ? <ChangeDiff changes={c.diff} /> : <Typography.Text>{t('dryRun.noDiff')}</Typography.Text>,
              }))}
            />
          ),
        },
      ]}
    />
  );
}
