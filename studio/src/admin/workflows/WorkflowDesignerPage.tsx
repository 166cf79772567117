// /admin/workflows/:name — the workflow designer. The state machine as a diagram with its states,
// transitions (guards, roles, required fields, comments, approvals), triggers and actions editable
// beside it; the driven entity's raw JSON for a field or rule the process needs; test mode; and a
// save that shows the dry run and the records in each state before it applies.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { EditOutlined, ExperimentOutlined, PlusOutlined, SaveOutlined } from '../../app/icons.tsx';
import { Alert, App, Badge, Button, Card, Input, Space, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { applyDocuments, getDocument, listDocuments, type MetaDocument } from '../../api/admin-meta.ts';
import { ApiError } from '../../api/client.ts';
import { navigationKey } from '../../api/meta.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { ItemsTab } from './ItemsTab.tsx';
import { NoZhLabel } from './NoZhLabel.tsx';
import { SaveDialog } from './SaveDialog.tsx';
import { StatesTab } from './StatesTab.tsx';
import { TestModeDrawer } from './TestModeDrawer.tsx';
import { TransitionDrawer } from './TransitionDrawer.tsx';
import { StateDrawer } from './StateDrawer.tsx';
import { WorkflowDiagram } from './WorkflowDiagram.tsx';
import './designer.css';
import { entityWithStateOptions, fromList, putState, putTransition, removeKey, type WorkflowDoc } from './workflow-model.ts';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

interface Loaded {
  workflow: WorkflowDoc;
  entity: MetaDocument;
  roles: MetaDocument[];
}

export default function WorkflowDesignerPage() {
  const { name = '' } = useParams();
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { message } = App.useApp();
  const client = useQueryClient();
  const loaded = useQuery({
    queryKey: ['admin', 'workflow', name],
    staleTime: Infinity,
    queryFn: async (): Promise<Loaded> => {
      const workflow = await getDocument<WorkflowDoc>('workflow', name);
      const [entity, roles] = await Promise.all([getDocument('entity', workflow.entity), listDocuments('role')]);
      return { workflow, entity, roles };
    },
  });
  const [doc, setDoc] = useState<WorkflowDoc>();
  const [entity, setEntity] = useState<MetaDocument>();
  const [entityText, setEntityText] = useState('');
  const [entityError, setEntityError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [drawer, setDrawer] = useState<{ name?: string; proposal?: { from: string; to: string } }>();
  const [testing, setTesting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [applying, setApplying] = useState(false);
  const [tab, setTab] = useState('states');
  const [editingState, setEditingState] = useState<string>();

  useEffect(() => {
    if (!loaded.data) return;
    setDoc(loaded.data.workflow);
    setEntity(loaded.data.entity);
    setEntityText(JSON.stringify(loaded.data.entity, null, 2));
  }, [loaded.data]);

  // The entity goes along when its state options follow new states or its JSON was edited.
  const documents = useMemo((): MetaDocument[] => {
    if (!doc || !entity || !loaded.data) return [];
    const out = entityWithStateOptions(entity, doc) ?? entity;
    return JSON.stringify(out) === JSON.stringify(loaded.data.entity) ? [] : [out];
  }, [doc, entity, loaded.data]);

  if (loaded.isPending) return <PageLoading />;
  if (loaded.error || !loaded.data) return <ErrorState error={loaded.error} retry={() => void loaded.refetch()} />;
  if (!doc || !entity) return <PageLoading />;

  const dirty = documents.length > 0 || JSON.stringify(doc) !== JSON.stringify(loaded.data.workflow);
  const fieldDefs = (entity['fields'] ?? {}) as Record<string, { label?: never }>;
  const fields = Object.entries(fieldDefs).map(([n, f]) => ({ name: n, label: label(f.label, n) }));
  const roles = loaded.data.roles.map((r) => ({ name: r.name, label: `${label(r['label'] as never, r.name)} (${r.name})` }));
  const roleLabels = Object.fromEntries(loaded.data.roles.map((r) => [r.name, label(r['label'] as never, r.name)]));

  const select = (key: string) => {
    setSelected(key);
    if (key.startsWith('transition:')) setDrawer({ name: key.slice('transition:'.length) });
    if (key.startsWith('state:')) {
      setTab('states');
      setEditingState(key.slice('state:'.length));
    }
  };

  const apply = async () => {
    setApplying(true);
    try {
      const result = await applyDocuments([...documents, doc]);
      void message.success(t('wfSave.applied', { revision: result.revision }));
      setSaving(false);
      await client.invalidateQueries({ queryKey: navigationKey });
      await client.invalidateQueries({ queryKey: ['meta'] });
      await loaded.refetch();
    } catch (e) {
      void message.error(e instanceof ApiError ? [e.message, ...e.details.map((d) => `${d.path}: ${d.message}`)].join(' — ') : String(e));
    } finally {
      setApplying(false);
    }
  };

  const applyEntityText = () => {
    try {
      const parsed = JSON.parse(entityText) as MetaDocument;
      if (parsed.kind !== 'entity' || parsed.name !== entity.name) throw new Error(t('wfDesigner.entityNameFixed', { name: entity.name }));
      setEntity(parsed);
      setEntityError(undefined);
    } catch (e) {
      setEntityError((e as Error).message);
    }
  };

  const transitions = Object.entries(doc.transitions ?? {});
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <div>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('wfDesigner.title', { label: label(doc.label, doc.name) })}</Typography.Title>
          <Typography.Text type="secondary">
            <Link to="/admin/workflows">{t('wfDesigner.allWorkflows')}</Link> · {t('wfDesigner.drives', { entity: label(entity['label'] as never, entity.name), field: doc.field ?? '—' })}
          </Typography.Text>
        </div>
        <Space wrap>
          {dirty && <Badge status="warning" text={t('wfDesigner.unsaved')} />}
          <Button icon={<ExperimentOutlined />} onClick={() => setTesting(true)}>{t('wfDesigner.testMode')}</Button>
          <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} onClick={() => setSaving(true)}>{t('wfDesigner.save')}</Button>
        </Space>
      </Space>
      <Card size="small" title={t('wfDesigner.diagram')}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('wfDesigner.diagramHelp')}</Typography.Paragraph>
        <WorkflowDiagram doc={doc} selected={selected} onSelect={select} onConnect={(from, to) => setDrawer({ proposal: { from, to } })} />
      </Card>
      <Tabs className="wrap-tabs" activeKey={tab} onChange={setTab} items={[
        { key: 'states', label: t('wfDesigner.states'), children: <StatesTab doc={doc} onChange={setDoc} onEdit={setEditingState} /> },
        {
          key: 'transitions',
          label: t('wfDesigner.transitions'),
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              <ResponsiveTable size="small" pagination={false} scroll={{ x: true }} rowKey="name" dataSource={transitions.map(([n, tr]) => ({ name: n, tr }))}
                columns={[
                  { title: t('wfDesigner.name'), dataIndex: 'name' },
                  { title: t('wfDesigner.label'), render: (_, r) => <>{label(r.tr.label, r.name)}<NoZhLabel label={r.tr.label} /></> },
                  { title: t('wfDesigner.from'), render: (_, r) => fromList(r.tr.from, doc.states ?? {}).join(', ') },
                  { title: t('wfDesigner.to'), render: (_, r) => label(doc.states?.[r.tr.to]?.label, r.tr.to) },
                  { title: t('wfDesigner.rules'), render: (_, r) => (
                    <Space wrap size={4}>
                      {r.tr.guard && <Tag>{t('wfDesigner.guard')}</Tag>}
                      {r.tr.roles?.map((x) => <Tag key={x}>{x}</Tag>)}
                      {r.tr.requiredFields?.map((x) => <Tag key={x}>{x}</Tag>)}
                      {r.tr.comment === 'required' && <Tag>{t('wfDesigner.comment_required')}</Tag>}
                      {r.tr.approval && <Tag>{t('wfDesigner.approval')}</Tag>}
                    </Space>
                  ) },
                  { key: 'actions', title: t('wfDesigner.actions'), render: (_, r) => (
                    <Space>
                      <Button size="small" icon={<EditOutlined />} aria-label={t('wfDesigner.editTransition', { name: label(r.tr.label, r.name) })} onClick={() => select(`transition:${r.name}`)} />
                      <Button size="small" danger aria-label={t('wfDesigner.removeItem', { name: r.name })} onClick={() => setDoc(removeKey(doc, 'transitions', r.name))}>{t('wfDesigner.remove')}</Button>
                    </Space>
                  ) },
                ]} />
              <Button icon={<PlusOutlined />} onClick={() => setDrawer({})}>{t('wfDesigner.addTransition')}</Button>
            </Space>
          ),
        },
        { key: 'triggers', label: t('wfDesigner.triggers'), children: <ItemsTab doc={doc} which="triggers" onChange={setDoc} entity={entity} roles={roles} /> },
        { key: 'actions', label: t('wfDesigner.actionsTab'), children: <ItemsTab doc={doc} which="actions" onChange={setDoc} entity={entity} roles={roles} /> },
        {
          key: 'entity',
          label: t('wfDesigner.entityJson'),
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Paragraph type="secondary">{t('wfDesigner.entityJsonHelp')}</Typography.Paragraph>
              <Input.TextArea aria-label={t('wfDesigner.entityJson')} value={entityText} onChange={(e) => setEntityText(e.target.value)} autoSize={{ minRows: 10, maxRows: 30 }} style={{ fontFamily: 'monospace', fontSize: 12 }} />
              {entityError && <Alert type="error" showIcon message={entityError} />}
              <Button onClick={applyEntityText}>{t('wfDesigner.useEntityJson')}</Button>
            </Space>
          ),
        },
      ]} />
      <TransitionDrawer open={drawer !== undefined} doc={doc} {...(drawer?.name ? { name: drawer.name } : {})} {...(drawer?.proposal ? { proposal: drawer.proposal } : {})} fields={fields} roles={roles}
        onClose={() => { setDrawer(undefined); setSelected(undefined); }}
        onSave={(n, tr, previous) => setDoc(putTransition(doc, n, tr, previous))} />
      <StateDrawer name={editingState} state={editingState ? doc.states?.[editingState] : undefined}
        onClose={() => { setEditingState(undefined); setSelected(undefined); }}
        onSave={(n, st) => setDoc(putState(doc, n, st))} />
      <TestModeDrawer open={testing} onClose={() => setTesting(false)} doc={doc} documents={documents} {...(typeof entity['titleField'] === 'string' ? { titleField: entity['titleField'] } : {})} entity={documents[0] ?? entity} roles={roles} roleLabels={roleLabels} />
      <SaveDialog open={saving} doc={doc} documents={documents} busy={applying} onCancel={() => setSaving(false)} onConfirm={() => void apply()} />
    </Space>
  );
}
