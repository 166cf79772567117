// The duplicates of an entity (/data-quality/:entity/duplicates): the clusters its duplicate rules
// find, with their scores, the rule's fields and each record side by side; one cluster merged
// through the merge dialog, or the selected ones in bulk (each survivor the oldest record, empty
// values filled from the others) with the batch's result and its undo. ?record=id keeps the
// clusters that hold that record.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Empty, Modal, Pagination, Space, Tag, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { duplicatesKey, findDuplicates, mergeGroups, recordsByIds, undoMergeBatch, type BulkMergeResult, type DuplicateCluster, type MergeRequest } from '../../api/duplicates.ts';
import { useEntities, useRevision, type EntityDef } from '../../api/meta.ts';
import type { RecordValues } from '../../api/records.ts';
import { ApiErrorAlert } from '../../admin/DryRunDialog.tsx';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { useSubmitOnce } from '../../app/use-submit-once.ts';
import { valueText } from '../../records/format-value.tsx';
import { useReferencedTitles } from '../../records/lookup-titles.ts';
import { MergeDialog, recordTitle } from './MergeDialog.tsx';
import { defaultChoices, defaultSurvivor, duplicateRulesOf, mergePlaceName, mergeRequestOf, ruleTitle } from './merge-model.ts';
import { ChangedSinceMerge } from './ChangedSinceMerge.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

const pageSize = 10;
export const clusterKey = (c: DuplicateCluster) => `${c.rule}:${c.ids.join(',')}`;

export default function DuplicatesPage() {
  const { entity: name = '' } = useParams();
  const entities = useEntities();
  const entity = entities.data?.get(name);
  if (entities.isPending) return <PageLoading />;
  if (entities.isError) return <ErrorState error={entities.error} retry={() => void entities.refetch()} />;
  if (!entity) return <Empty description={name} />;
  return <Duplicates key={name} entity={entity} />;
}

function Duplicates({ entity }: { entity: EntityDef }) {
  const { t } = useTranslation();
  const { language, label } = useLanguage();
  const client = useQueryClient();
  const revision = useRevision();
  const [params, setParams] = useSearchParams();
  const rule = params.get('rule') ?? undefined;
  const record = params.get('record') ?? undefined;
  const rules = duplicateRulesOf(entity);
  // The language is part of the key: the clusters carry their rules' labels in the language asked for.
  const clusters = useQuery({ queryKey: [...duplicatesKey(entity.name, rule), revision, language], queryFn: () => findDuplicates(entity.name, rule) });
  const shown = useMemo(() => (clusters.data ?? []).filter((c) => !record || c.ids.includes(record)), [clusters.data, record]);
  const [wantedPage, setPage] = useState(1);
  // A merge or a filter can leave fewer pages than the one open.
  const page = Math.min(wantedPage, Math.max(1, Math.ceil(shown.length / pageSize)));
  const pageClusters = shown.slice((page - 1) * pageSize, page * pageSize);
  const [selected, setSelected] = useState<Map<string, DuplicateCluster>>(new Map());
  const wanted = useMemo(() => [...new Set([...pageClusters, ...selected.values()].flatMap((c) => c.ids))].sort(), [pageClusters, selected]);
  const records = useQuery({ queryKey: ['duplicates', 'records', entity.name, wanted], queryFn: () => recordsByIds(entity.name, wanted), enabled: wanted.length > 0, placeholderData: (previous) => previous });
  const [merging, setMerging] = useState<DuplicateCluster>();
  // The merge dialog is unmounted when it closes, so antd cannot hand the focus back to the button
  // that opened it: it would fall to the page's body and a keyboard user would start over at the top.
  // The cluster's Merge button as drawn now (a merge undone draws the cluster anew), else — merged,
  // the cluster has gone with its button — the page's heading.
  const mergeButtons = useRef(new Map<string, HTMLElement>());
  const mergeTrigger = useRef<string>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const closeMerge = () => setMerging(undefined);
  // After the dialog has gone (while it is open it keeps the focus inside itself).
  useEffect(() => {
    if (merging || mergeTrigger.current === undefined) return;
    const trigger = mergeButtons.current.get(mergeTrigger.current);
    mergeTrigger.current = undefined;
    (trigger ?? heading.current)?.focus();
  }, [merging]);
  const [confirming, setConfirming] = useState(false);
  const [batch, setBatch] = useState<BulkMergeResult & { titles: ReadonlyMap<string, string>; groups: MergeRequest[] }>();
  const refresh = () => void client.invalidateQueries({ queryKey: ['duplicates'] });
  const entityLabel = label(entity.pluralLabel ?? entity.label, entity.name);
  const fieldLabel = (field: string) => label(entity.fields[field]?.label, field);
  const recordMap = records.data ?? new Map<string, RecordValues>();
  const referenced = useReferencedTitles(entity, [...recordMap.values()]);

  const taken = new Set([...selected.values()].flatMap((c) => c.ids));
  const toggle = (c: DuplicateCluster, on: boolean) =>
    setSelected((s) => {
      const next = new Map(s);
      if (on) next.set(clusterKey(c), c);
      else next.delete(clusterKey(c));
      return next;
    });
  const bulk = useMutation({
    mutationFn: () => {
      const groups = [...selected.values()].map((c) => {
        const rows = c.ids.flatMap((id) => (recordMap.has(id) ? [recordMap.get(id)!] : []));
        const survivor = defaultSurvivor(rows, c.ids);
        return mergeRequestOf(survivor, c.ids, defaultChoices(entity, rows, survivor), rows);
      });
      // The clusters' titles as confirmed: a cluster that failed is named by them once the list has gone.
      const titles = new Map([...selected.values()].flatMap((c) => c.ids.map((id) => [id, recordTitle(entity, recordMap.get(id), id)] as const)));
      return mergeGroups(entity.name, groups).then((answer) => ({ ...answer, titles, groups }));
    },
    onSuccess: (answer) => {
      setBatch(answer);
      setConfirming(false);
      setSelected(new Map());
      undoBatch.reset();
      refresh();
    },
  });
  const undoBatch = useMutation({ mutationFn: () => undoMergeBatch(batch!.batch), onSuccess: refresh });
  const mergeSelected = useSubmitOnce(bulk);
  const undoTheBatch = useSubmitOnce(undoBatch);
  // The confirmation closes on the bulk merge's answer (its opener, "Merge selected", is off with
  // nothing selected), and the batch's Undo goes once it is undone: the focus goes to the batch's
  // outcome either time (it fell to the page's body, and the outcome was not read).
  const batchOutcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (batch) batchOutcome.current?.focus();
  }, [batch, undoBatch.isSuccess]);

  const ruleOf = (c: DuplicateCluster) => rules[c.rule];
  const columnsOf = (c: DuplicateCluster) => {
    const match = ruleOf(c)?.match ?? [];
    const extra = Object.keys(entity.fields).filter((f) => f !== entity.titleField && !match.includes(f) && !['formula', 'rollup'].includes(entity.fields[f]!.type)).slice(0, 2);
    return [
      { key: 'title', title: t('duplicates.record'), render: (_: unknown, r: RecordValues) => <Link to={`/e/${encodeURIComponent(entity.name)}/${encodeURIComponent(r.id)}`}>{recordTitle(entity, r, r.id)}</Link> },
      ...[...match.filter((f) => f !== entity.titleField), ...extra].map((f) => ({ key: f, title: fieldLabel(f), render: (_: unknown, r: RecordValues) => referenced(f, r[f]) ?? valueText(entity.fields[f], r[f], language) })),
    ];
  };

  return (
    <div>
      <Typography.Title level={1} ref={heading} tabIndex={-1} style={{ fontSize: 24, outline: 'none' }} data-testid="duplicates-heading">
        {t('duplicates.title', { entity: entityLabel })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('duplicates.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('duplicates.rule')}
          style={{ minWidth: 200 }}
          value={rule ?? ''}
          onChange={(v) => setParams((p) => { const next = new URLSearchParams(p); if (v) next.set('rule', v); else next.delete('rule'); return next; })}
          options={[{ value: '', label: t('duplicates.allRules') }, ...Object.entries(rules).map(([r, def]) => ({ value: r, label: label(def.label, r) }))]}
          data-testid="duplicates-rule"
        />
        {record && (
          <span data-testid="duplicates-record-filter">
            {t('duplicates.forRecord', { title: recordTitle(entity, recordMap.get(record), record) })}{' '}
            <Link to={`/data-quality/${encodeURIComponent(entity.name)}/duplicates`}>{t('duplicates.showAll')}</Link>
          </span>
        )}
        <Button type="primary" disabled={selected.size === 0} onClick={() => setConfirming(true)} data-testid="duplicates-bulk">
          {t('duplicates.mergeSelected', { count: selected.size })}
        </Button>
      </Space>
      {batch && (
        <div ref={batchOutcome} tabIndex={-1} style={{ outline: 'none', marginBottom: 16 }} data-testid="duplicates-batch-outcome">
          <Alert
            role="status"
            showIcon
            type={undoBatch.isSuccess ? 'info' : batch.failed > 0 ? 'warning' : 'success'}
            data-testid="duplicates-batch"
            title={undoBatch.isSuccess ? t('duplicates.batchUndone', { count: undoBatch.data.undone.length }) : t('duplicates.batchMerged', { merged: batch.merged, failed: batch.failed })}
            description={
              <>
                {batch.results.flatMap((r) => {
                  if (!('error' in r)) return [];
                  const group = batch.groups[r.index]!;
                  const titleOf = (id: string) => batch.titles.get(id) ?? id;
                  const records = [group.survivor, ...group.merged].map(titleOf).join(', ');
                  return [
                    <div key={r.index} data-testid="duplicates-batch-failed">
                      {t('duplicates.groupFailed', { records, message: r.error.message })}
                      {r.error.details.length > 0 && (
                        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                          {r.error.details.map((d, i) => (
                            <li key={i}>
                              {mergePlaceName(d.path, group, titleOf, fieldLabel) ?? d.path}: {d.message}
                            </li>
                          ))}
                        </ul>
                      )}
                    </div>,
                  ];
                })}
                {undoBatch.data?.refused.map((r) => <div key={r.merge}>{r.message}</div>)}
                {undoBatch.data && undoBatch.data.changedSince.length > 0 && <ChangedSinceMerge changed={undoBatch.data.changedSince} />}
              </>
            }
            action={
              !undoBatch.isSuccess && batch.merged > 0 ? (
                <Button onClick={() => undoTheBatch()} loading={undoBatch.isPending} data-testid="duplicates-batch-undo">
                  {t('duplicates.undoBatch')}
                </Button>
              ) : undefined
            }
          />
        </div>
      )}
      {undoBatch.isError && <ApiErrorAlert error={undoBatch.error} />}
      {clusters.isPending ? (
        <PageLoading />
      ) : clusters.isError ? (
        <ErrorState error={clusters.error} retry={() => void clusters.refetch()} />
      ) : shown.length === 0 ? (
        <Empty description={t('duplicates.none')} data-testid="duplicates-none" />
      ) : (
        <>
          <Typography.Paragraph data-testid="duplicates-count">{t('duplicates.count', { count: shown.length })}</Typography.Paragraph>
          <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('duplicates.clusters')}>
            {pageClusters.map((c) => {
              const key = clusterKey(c);
              const isSelected = selected.has(key);
              const overlaps = !isSelected && c.ids.some((id) => taken.has(id));
              const match = ruleOf(c)?.match ?? [];
              return (
                <li key={key} data-testid="duplicate-cluster" data-ids={c.ids.join(',')} data-rule={c.rule} style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: 12, marginBottom: 12 }}>
                  <Space wrap style={{ marginBottom: 8 }}>
                    <Checkbox checked={isSelected} disabled={overlaps} onChange={(e) => toggle(c, e.target.checked)} data-testid="duplicate-select">
                      {t('duplicates.select')}
                    </Checkbox>
                    <Tag color={c.score >= 1 ? 'red' : 'orange'} data-testid="duplicate-score">{t('duplicates.score', { score: Math.round(c.score * 100) })}</Tag>
                    <span>
                      {t('duplicates.ruleMatched', { rule: ruleTitle(c), fields: match.map(fieldLabel).join(', ') })}
                    </span>
                    {overlaps && <Typography.Text type="secondary">{t('duplicates.overlaps')}</Typography.Text>}
                    <Button
                      ref={(button) => {
                        if (button) mergeButtons.current.set(key, button);
                        else mergeButtons.current.delete(key);
                      }}
                      onClick={() => {
                        mergeTrigger.current = key;
                        setMerging(c);
                      }}
                      disabled={!records.data}
                      data-testid="duplicate-merge"
                    >
                      {t('duplicates.merge')}
                    </Button>
                  </Space>
                  <div role="region" aria-label={t('duplicates.clusterRecords', { rule: ruleTitle(c) })} tabIndex={0} style={{ overflowX: 'auto' }}>
                    <ResponsiveTable<RecordValues> size="small" pagination={false} rowKey="id" columns={columnsOf(c)} dataSource={c.ids.flatMap((id) => (recordMap.has(id) ? [recordMap.get(id)!] : []))} loading={records.isFetching && !records.data} />
                  </div>
                </li>
              );
            })}
          </ol>
          {shown.length > pageSize && <Pagination current={page} pageSize={pageSize} total={shown.length} onChange={setPage} showSizeChanger={false} />}
        </>
      )}
      {merging && records.data && <MergeDialog entity={entity} ids={merging.ids} records={records.data} onClose={closeMerge} onChanged={refresh} />}
      <Modal
        open={confirming}
        title={t('duplicates.bulkTitle', { count: selected.size })}
        okText={t('duplicates.bulkConfirm', { count: selected.size })}
        okButtonProps={{ danger: true, loading: bulk.isPending, 'data-testid': 'duplicates-bulk-confirm' } as never}
        cancelText={t('duplicates.cancel')}
        onOk={() => mergeSelected()}
        onCancel={() => setConfirming(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('duplicates.bulkExplain')}</Typography.Paragraph>
        <ul data-testid="duplicates-bulk-list">
          {[...selected.values()].map((c) => {
            const rows = c.ids.flatMap((id) => (recordMap.has(id) ? [recordMap.get(id)!] : []));
            const survivor = defaultSurvivor(rows, c.ids);
            return (
              <li key={clusterKey(c)}>
                {t('duplicates.bulkGroup', { survivor: recordTitle(entity, recordMap.get(survivor), survivor), others: c.ids.filter((id) => id !== survivor).map((id) => recordTitle(entity, recordMap.get(id), id)).join(', ') })}
              </li>
            );
          })}
        </ul>
        {bulk.isError && <ApiErrorAlert error={bulk.error} />}
      </Modal>
    </div>
  );
}
