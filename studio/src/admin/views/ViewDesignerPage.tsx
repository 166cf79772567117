// The view designer (/admin/views/:name): a list's columns — the entity's fields and lookup paths
// such as account.name — ordered by drag and drop, its sort, its filter built with the form
// designer's condition editor (values may be $me, $today, "$today - 30 days"…; raw JSON for the
// rest), who it narrows to, and for a board its grouping field and card fields. Beside it a live
// preview: the server runs the unsaved view as the saved one would run and the rows it returns are
// shown. Saved through the dry run like every change. A new view arrives here with its draft in the
// navigation state (from the list page).

import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Form, Row, Segmented, Space, Switch, Typography } from 'antd';
import { InputNumber, Select } from '../../app/localized-controls.tsx';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { getMetaItem, type MetaDocument } from '../../api/designer.ts';
import { useEntities, useMetaKind, type EntityDef } from '../../api/meta.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { ConditionEditor, filterLanguage } from '../forms/ConditionEditor.tsx';
import type { FilterJson } from '../forms/filter-condition.ts';
import { useReviewedSave } from '../impact/DryRunReport.tsx';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { pathChoices, valueTypeOf } from './field-paths.ts';
import { SortableList } from './SortableList.tsx';
import { groupableFields, orderedColumns, readSort, switchType, tidy, withColumns, writeSort, type ViewDoc } from './view-model.ts';
import { ViewPreview } from './ViewPreview.tsx';

export default function ViewDesignerPage() {
  const { name = '' } = useParams();
  const location = useLocation();
  const fresh = (location.state as { draft?: ViewDoc } | null)?.draft;
  const view = useQuery({ queryKey: ['designer', 'view', name], queryFn: () => getMetaItem<ViewDoc>('view', name), enabled: !fresh, retry: false });
  const entities = useEntities();
  const saved = fresh ?? view.data;
  if ((!fresh && view.isPending) || entities.isPending) return <PageLoading />;
  if (view.error && !(view.error instanceof ApiError && view.error.status === 404 && fresh)) return <ErrorState error={view.error} retry={() => void view.refetch()} />;
  const entity = saved ? entities.data?.get(saved.entity) : undefined;
  if (!saved || !entity) return <ErrorState error={entities.error ?? view.error} />;
  return <ViewDesigner key={JSON.stringify(saved)} saved={saved} isNew={Boolean(fresh)} entity={entity} entities={entities.data} />;
}

function ViewDesigner({ saved, isNew, entity, entities }: { saved: ViewDoc; isNew: boolean; entity: EntityDef; entities: ReadonlyMap<string, EntityDef> | undefined }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<ViewDoc>(saved);
  const workflows = useMetaKind('workflows');
  const { review, modal } = useReviewedSave(() => {
    if (isNew) void navigate(`/admin/views/${draft.name}`, { replace: true, state: null });
  });
  const choices = useMemo(() => pathChoices(entity, entities, label), [entity, entities, label]);
  const labelOf = (path: string) => choices.find((c) => c.value === path)?.label ?? path;
  const driven = [...(workflows.data?.values() ?? [])].filter((w) => w.entity === entity.name && w.field).map((w) => w.field!);
  const dirty = isNew || JSON.stringify(tidy(draft)) !== JSON.stringify(tidy(saved));
  const set = (patch: Partial<ViewDoc>) => setDraft((d) => ({ ...d, ...patch }));
  const kanban = draft.type === 'kanban';
  const columns = orderedColumns(draft);
  const sortRows = readSort(draft.sort);
  const cardFields = draft.kanban?.cardFields ?? [];
  const setKanban = (patch: Partial<NonNullable<ViewDoc['kanban']>>) => setDraft((d) => ({ ...d, kanban: { groupBy: d.kanban?.groupBy ?? '', ...d.kanban, ...patch } }));
  const unused = (taken: string[]) => choices.filter((c) => !taken.includes(c.value)).map((c) => ({ value: c.value, label: c.label }));
  const numberFields = Object.entries(entity.fields).filter(([, f]) => ['integer', 'number', 'currency'].includes(valueTypeOf(f, entities) ?? ''));

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 12 }} align="start">
        <div>
          <Typography.Text type="secondary">
            <Link to="/admin/views">{t('viewDesigner.listTitle')}</Link> · {label(entity.label, entity.name)}
          </Typography.Text>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t(kanban ? 'viewDesigner.titleBoard' : 'viewDesigner.titleList', { view: label(draft.label, draft.name) })}
          </Typography.Title>
        </div>
        <Space wrap>
          {dirty && !isNew && <Button onClick={() => setDraft(saved)}>{t('formDesigner.discard')}</Button>}
          <Badge dot={dirty}>
            <Button type="primary" disabled={!dirty} onClick={() => review([{ ...tidy(draft), kind: 'view' } as unknown as MetaDocument])}>
              {t('formDesigner.reviewAndSave')}
            </Button>
          </Badge>
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('viewDesigner.settings')}</h2>}>
              <Form layout="vertical" component="div">
                <Form.Item label={t('viewDesigner.label')}>
                  <LocalizedInput id="view-label" label={t('viewDesigner.label')} value={draft.label} onChange={(l) => set({ label: l })} />
                </Form.Item>
                <Space wrap size="large">
                  <Form.Item label={t('viewDesigner.type')}>
                    <Segmented aria-label={t('viewDesigner.type')} value={kanban ? 'kanban' : 'list'} onChange={(v) => setDraft((d) => switchType(d, v as 'list' | 'kanban', entity, driven))} options={[{ value: 'list', label: t('viewDesigner.list') }, { value: 'kanban', label: t('viewDesigner.kanban') }]} />
                  </Form.Item>
                  <Form.Item label={t('viewDesigner.ownedBy')} htmlFor="view-owned-by">
                    <Select id="view-owned-by" style={{ minWidth: 160 }} value={draft.ownedBy ?? ''} onChange={(v: string) => set({ ownedBy: (v || undefined) as ViewDoc['ownedBy'] })} options={[{ value: '', label: t('viewDesigner.everyone') }, { value: 'me', label: t('viewDesigner.mine') }, { value: 'myTeam', label: t('viewDesigner.myTeam') }]} />
                  </Form.Item>
                  <Form.Item label={t('viewDesigner.pageSize')} htmlFor="view-page-size">
                    <InputNumber id="view-page-size" min={1} max={200} value={draft.pageSize} placeholder="25" onChange={(v) => set({ pageSize: v ?? undefined })} />
                  </Form.Item>
                  <Form.Item label={t('viewDesigner.isDefault')} htmlFor="view-default">
                    <Switch id="view-default" checked={Boolean(draft.default)} onChange={(on) => set({ default: on || undefined })} />
                  </Form.Item>
                </Space>
              </Form>
            </Card>

            {kanban ? (
              <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('viewDesigner.board')}</h2>}>
                <Form layout="vertical" component="div">
                  <Space wrap size="large">
                    <Form.Item label={t('viewDesigner.groupBy')} htmlFor="view-group-by">
                      <Select id="view-group-by" style={{ minWidth: 180 }} value={draft.kanban?.groupBy || undefined} onChange={(v: string) => setKanban({ groupBy: v })} options={groupableFields(entity, driven).map((n) => ({ value: n, label: labelOf(n) }))} />
                    </Form.Item>
                    <Form.Item label={t('viewDesigner.sumField')} htmlFor="view-sum-field">
                      <Select id="view-sum-field" allowClear style={{ minWidth: 160 }} value={(draft.kanban as { sumField?: string } | undefined)?.sumField} onChange={(v?: string) => setKanban({ sumField: v } as never)} options={numberFields.map(([n]) => ({ value: n, label: labelOf(n) }))} />
                    </Form.Item>
                    <Form.Item label={t('viewDesigner.hideFinal')} htmlFor="view-hide-final">
                      <Switch id="view-hide-final" checked={Boolean(draft.kanban?.hideFinal)} onChange={(on) => setKanban({ hideFinal: on || undefined })} />
                    </Form.Item>
                  </Space>
                </Form>
                <Typography.Title level={3} style={{ fontSize: 14 }}>{t('viewDesigner.cardFields')}</Typography.Title>
                <SortableList testId="card-fields" label={t('viewDesigner.cardFields')} entries={cardFields.map((p) => ({ id: p, label: labelOf(p), hint: p }))} onOrder={(ids) => setKanban({ cardFields: ids })} onRemove={(id) => setKanban({ cardFields: cardFields.filter((p) => p !== id) })} emptyText={t('viewDesigner.noCardFields')} />
                <Select showSearch optionFilterProp="label" aria-label={t('viewDesigner.addCardField')} placeholder={t('viewDesigner.addCardField')} value={null} onChange={(p: string) => setKanban({ cardFields: [...cardFields, p] })} options={unused(cardFields)} style={{ width: '100%', marginTop: 8 }} />
              </Card>
            ) : (
              <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('viewDesigner.columns')}</h2>}>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('viewDesigner.columnsHelp')}</Typography.Paragraph>
                <SortableList testId="columns" label={t('viewDesigner.columns')} entries={columns.map((p) => ({ id: p, label: labelOf(p), hint: p }))} onOrder={(ids) => setDraft((d) => withColumns(d, ids))} onRemove={(id) => setDraft((d) => withColumns(d, columns.filter((p) => p !== id)))} emptyText={t('viewDesigner.noColumns')} />
                <Select showSearch optionFilterProp="label" aria-label={t('viewDesigner.addColumn')} placeholder={t('viewDesigner.addColumn')} value={null} onChange={(p: string) => setDraft((d) => withColumns(d, [...columns, p]))} options={unused(columns)} style={{ width: '100%', marginTop: 8 }} />
              </Card>
            )}

            <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('viewDesigner.sort')}</h2>}>
              <Space orientation="vertical" style={{ width: '100%' }} size={4}>
                {sortRows.map((row, i) => (
                  <Space key={i} wrap size={4}>
                    <Select size="small" showSearch optionFilterProp="label" aria-label={t('viewDesigner.sortField', { n: i + 1 })} value={row.path} onChange={(p: string) => set({ sort: writeSort(sortRows.map((r, j) => (j === i ? { ...r, path: p } : r))) })} options={choices.filter((c) => c.def?.type !== 'multipicklist').map((c) => ({ value: c.value, label: c.label }))} style={{ minWidth: 180 }} />
                    <Segmented size="small" aria-label={t('viewDesigner.sortDirection', { n: i + 1 })} value={row.descending ? 'desc' : 'asc'} onChange={(v) => set({ sort: writeSort(sortRows.map((r, j) => (j === i ? { ...r, descending: v === 'desc' } : r))) })} options={[{ value: 'asc', label: t('viewDesigner.ascending') }, { value: 'desc', label: t('viewDesigner.descending') }]} />
                    <Button size="small" aria-label={t('viewDesigner.removeSort', { n: i + 1 })} onClick={() => set({ sort: writeSort(sortRows.filter((_, j) => j !== i)) })}>
                      {t('viewDesigner.removeShort')}
                    </Button>
                  </Space>
                ))}
                <Space size={4}>
                  <Button size="small" disabled={sortRows.length >= 8} onClick={() => set({ sort: writeSort([...sortRows, { path: entity.titleField ?? choices[0]?.value ?? '', descending: false }]) })}>
                    {t('viewDesigner.addSort')}
                  </Button>
                  {draft.sort && <Typography.Text code>{draft.sort}</Typography.Text>}
                </Space>
              </Space>
            </Card>

            <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('viewDesigner.filter')}</h2>}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('viewDesigner.filterHelp')}</Typography.Paragraph>
              <ConditionEditor<FilterJson> id="view-filter" label={t('viewDesigner.filterLabel')} value={draft.filter} entity={entity} fields={choices} language={filterLanguage} onChange={(f) => set({ filter: f })} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <ViewPreview draft={tidy(draft)} entity={entity} entities={entities} labelOf={labelOf} />
        </Col>
      </Row>
      {modal}
    </div>
  );
}
