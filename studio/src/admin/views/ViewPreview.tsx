// The live preview of an unsaved view: the server runs the draft as the saved view would run for the
// admin (POST /api/meta/preview/view — its filter, variables bound, its sort and columns) and the
// rows it returns are shown as the list's table or the board's columns of cards. A draft that does
// not check shows its issues instead. Asked again a moment after the admin stops changing things.

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { previewView, type MetaDocument } from '../../api/designer.ts';
import type { EntityDef, FieldDef } from '../../api/meta.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { valueText } from '../../records/format-value.tsx';
import { targetsOf, useLookupTitles } from '../../records/lookup-titles.ts';
import { defOfPath } from './field-paths.ts';
import { orderedColumns, type ViewDoc } from './view-model.ts';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

/** The value, or a short delay behind it while it keeps changing. */
export function useSettled<T>(value: T, ms = 350): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function Cell({ def, value }: { def: FieldDef | undefined; value: unknown }) {
  const { language } = useLanguage();
  const target = targetsOf(def)[0];
  const titles = useLookupTitles(target, target && typeof value === 'string' ? [value] : []);
  if (target && typeof value === 'string') return <>{titles.data?.get(value) ?? value}</>;
  if (def?.type === 'picklist' && value) return <Tag>{valueText(def, value, language)}</Tag>;
  return <>{valueText(def, value, language)}</>;
}

export function ViewPreview({ draft, entity, entities, labelOf }: { draft: ViewDoc; entity: EntityDef; entities: ReadonlyMap<string, EntityDef> | undefined; labelOf: (path: string) => string }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const text = useSettled(JSON.stringify(draft));
  const preview = useQuery({ queryKey: ['designer', 'viewPreview', text], queryFn: () => previewView({ ...(JSON.parse(text) as ViewDoc), kind: 'view' } as unknown as MetaDocument, 10), placeholderData: keepPreviousData, retry: false });
  const kanban = draft.type === 'kanban';
  const defOf = (path: string) => defOfPath(entity, entities, path);
  const data = preview.data;
  let body: React.ReactNode;
  if (preview.isPending) body = <PageLoading />;
  else if (preview.isError) body = <ErrorState error={preview.error} retry={() => void preview.refetch()} />;
  else if (!data!.valid) {
    body = (
      <Alert
        type="warning"
        showIcon
        title={t('viewDesigner.previewInvalid')}
        description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{data!.issues.map((i, n) => <li key={n}><code>{i.path}</code> {i.message}</li>)}</ul>}
      />
    );
  } else if (data!.items.length === 0) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('viewDesigner.previewNone')} />;
  else if (kanban) {
    const groupBy = draft.kanban?.groupBy ?? '';
    const groupDef = entity.fields[groupBy];
    const keys = [...new Set([...Object.keys(groupDef?.options ?? {}), ...data!.items.map((r) => String(r[groupBy] ?? ''))])].filter((k) => data!.items.some((r) => String(r[groupBy] ?? '') === k));
    const title = entity.titleField ?? 'id';
    body = (
      <div style={{ display: 'flex', gap: 8, overflowX: 'auto', paddingBottom: 4 }} role="list" aria-label={t('viewDesigner.previewBoard')} tabIndex={0}>
        {keys.map((k) => (
          <section key={k} role="listitem" aria-label={valueText(groupDef, k, language) || t('dashboard.none')} style={{ minWidth: 180, flex: '0 0 180px', background: '#f5f5f5', borderRadius: 6, padding: 6 }}>
            <Typography.Text strong>{k ? <Cell def={groupDef} value={k} /> : t('dashboard.none')}</Typography.Text>
            {data!.items.filter((r) => String(r[groupBy] ?? '') === k).map((r) => (
              <Card key={String(r['id'])} size="small" style={{ marginTop: 6 }}>
                <div style={{ fontWeight: 600 }}>{String(r[title] ?? r['id'])}</div>
                {(draft.kanban?.cardFields ?? []).map((p) => (
                  <div key={p} style={{ fontSize: 12, color: '#4b5563' }}>
                    <Cell def={defOf(p)} value={r[p]} />
                  </div>
                ))}
              </Card>
            ))}
          </section>
        ))}
      </div>
    );
  } else {
    const columns = orderedColumns(draft);
    // The region scrolls sideways (and takes focus for the keyboard), not the table inside it.
    body = (
      <div role="region" aria-label={t('viewDesigner.previewTable')} tabIndex={0} style={{ overflowX: 'auto' }}>
      <ResponsiveTable
        size="small"
        pagination={false}
        rowKey={(r) => String(r['id'])}
        dataSource={data!.items}
        columns={columns.map((p) => ({ key: p, title: label(draft.columns?.[p]?.label, labelOf(p)), render: (_: unknown, r: Record<string, unknown>) => <Cell def={defOf(p)} value={r[p]} /> }))}
      />
      </div>
    );
  }
  return (
    <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('viewDesigner.preview')}</h2>} data-testid="view-preview" aria-busy={preview.isFetching}>
      {data?.valid && (
        <Typography.Paragraph data-testid="view-preview-count">{t('viewDesigner.previewCount', { shown: data.items.length, total: data.total ?? data.items.length })}</Typography.Paragraph>
      )}
      {body}
    </Card>
  );
}
