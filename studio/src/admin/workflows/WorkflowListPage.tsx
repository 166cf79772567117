// /admin/workflows — every workflow with its entity, states and transitions, each opening the designer.
// A new workflow is made on a picklist field (two options or more) no other workflow drives: its
// options become the states (the first one initial, those the admin ticks final — the last one at
// first) and workflowFromPicklist's steps between them its transitions, which the designer then reshapes.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { listDocuments } from '../../api/admin-meta.ts';
import type { EntityDef } from '../../api/meta.ts';
import { useMetaKind } from '../../api/meta.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { NewItemDialog } from '../impact/NewItemDialog.tsx';
import { workflowFromPicklist, type WorkflowDoc } from './workflow-model.ts';
import { metadataName } from '../metadata-name.ts';
import { ListPageHeader } from '../ListPageHeader.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

export default function WorkflowListPage() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const client = useQueryClient();
  const entities = useMetaKind('entities');
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: ['admin', 'workflows'], queryFn: () => listDocuments<WorkflowDoc>('workflow') });
  if (list.isPending) return <PageLoading />;
  if (list.error) return <ErrorState error={list.error} retry={() => void list.refetch()} />;
  const driven = new Set(list.data.filter((w) => w.field).map((w) => `${w.entity}/${w.field}`));
  // State names are identifiers: a picklist whose values are not cannot hold a workflow's states.
  const stateFields = (e: EntityDef) => Object.entries(e.fields).filter(([f, d]) => d.type === 'picklist' && !driven.has(`${e.name}/${f}`) && Object.keys(d.options ?? {}).length > 1 && Object.keys(d.options ?? {}).every((o) => metadataName.test(o))).map(([f]) => f);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ListPageHeader title={t('wfDesigner.listTitle')} newLabel={t('wfDesigner.newWorkflow')} onNew={() => setCreating(true)} />
      <NewItemDialog
        id="new-workflow"
        title={t('wfDesigner.newWorkflow')}
        open={creating}
        onClose={() => setCreating(false)}
        taken={(n) => list.data.some((w) => w.name === n)}
        entities={[...(entities.data?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name))}
        field={{ label: t('wfDesigner.stateField'), candidates: stateFields, none: t('wfDesigner.noStateField') }}
        ticks={{
          label: t('wfDesigner.finalStates'),
          help: t('wfDesigner.finalStatesHelp'),
          // The first option is the initial state, which cannot be final.
          options: (e, f) => Object.entries(e.fields[f]?.options ?? {}).map(([value, o], i) => ({ value, label: label(o.label, value), disabled: i === 0 })),
          initial: (e, f) => Object.keys(e.fields[f]?.options ?? {}).slice(-1),
        }}
        build={({ name, entity, field, ticked, label: wfLabel }) =>
          workflowFromPicklist({ name, entity: entity!.name, field: field!, label: wfLabel, options: Object.entries(entity!.fields[field!]?.options ?? {}), finals: ticked ?? [] })
        }
        onApplied={(name) => void client.invalidateQueries({ queryKey: ['admin', 'workflows'] }).then(() => navigate(`/admin/workflows/${name}`))}
      />
      <ResponsiveTable size="small" rowKey="name" pagination={false} scroll={{ x: true }} dataSource={list.data}
        columns={[
          { title: t('wfDesigner.label'), render: (_, w) => <Link to={`/admin/workflows/${w.name}`}>{label(w.label, w.name)}</Link> },
          { title: t('wfDesigner.name'), dataIndex: 'name' },
          { title: t('wfDesigner.entity'), dataIndex: 'entity' },
          { title: t('wfDesigner.states'), render: (_, w) => Object.keys(w.states ?? {}).length },
          { title: t('wfDesigner.transitions'), render: (_, w) => Object.keys(w.transitions ?? {}).length },
          { title: t('wfDesigner.triggers'), render: (_, w) => Object.keys(w.triggers ?? {}).length },
        ]} />
    </Space>
  );
}
