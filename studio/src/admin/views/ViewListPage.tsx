// /admin/views — every view (lists and boards) with its entity, each opening the view designer, and
// a new view: its name, entity and kind, then the designer with a draft (nothing saved until the
// designer's dry run is confirmed).

import { Form, Input, Modal, Segmented, Tag } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useEntities, useMetaKind } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { starterColumns, withColumns, type ViewDoc } from './view-model.ts';
import { metadataName } from '../metadata-name.ts';
import { ListPageHeader } from '../ListPageHeader.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';


export default function ViewListPage() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const views = useMetaKind('views');
  const entities = useEntities();
  const forms = useMetaKind('forms');
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [entity, setEntity] = useState<string>();
  const [type, setType] = useState<'list' | 'kanban'>('list');
  const rows = [...(views.data?.values() ?? [])].sort((a, b) => a.entity.localeCompare(b.entity) || a.name.localeCompare(b.name));
  const taken = views.data?.has(name) ?? false;
  const nameError = name && !metadataName.test(name) ? t('viewDesigner.nameRule') : taken ? t('viewDesigner.nameTaken') : undefined;
  const create = () => {
    const def = entity ? entities.data?.get(entity) : undefined;
    if (!def || !name || nameError) return;
    // A new view starts with the columns a user would want first (title, then the form's order).
    const starters = starterColumns(def, [...(forms.data?.values() ?? [])]);
    const groupBy = Object.entries(def.fields).find(([, f]) => f.type === 'picklist')?.[0] ?? '';
    const on = def.name;
    const draft: ViewDoc = type === 'kanban'
      ? { kind: 'view', name, entity: on, type, label: { en: name }, kanban: { groupBy, cardFields: starters.filter((p) => p !== groupBy && p !== def.titleField).slice(0, 3) } }
      : withColumns({ kind: 'view', name, entity: on, type, label: { en: name } }, starters);
    void navigate(`/admin/views/${name}`, { state: { draft } });
  };
  return (
    <div>
      <ListPageHeader title={t('viewDesigner.listTitle')} newLabel={t('viewDesigner.newView')} onNew={() => setCreating(true)} />
      <ResponsiveTable
        size="small"
        loading={views.isPending}
        rowKey="name"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 480 }}
        columns={[
          { title: t('viewDesigner.view'), render: (_, v) => <Link to={`/admin/views/${v.name}`}>{label(v.label, v.name)}</Link> },
          { title: t('formDesigner.entity'), render: (_, v) => label(entities.data?.get(v.entity)?.label, v.entity) },
          { title: t('viewDesigner.type'), render: (_, v) => (v.type === 'kanban' ? t('viewDesigner.kanban') : t('viewDesigner.list')) },
          { title: t('formDesigner.isDefault'), render: (_, v) => (v.default ? <Tag color="blue">{t('formDesigner.yes')}</Tag> : null) },
        ]}
      />
      <Modal open={creating} title={t('viewDesigner.newView')} okText={t('viewDesigner.design')} cancelText={t('dryRun.cancel')} onOk={create} okButtonProps={{ disabled: !name || !entity || Boolean(nameError) }} onCancel={() => setCreating(false)} destroyOnHidden>
        <Form layout="vertical" component="div">
          <Form.Item label={t('viewDesigner.name')} htmlFor="new-view-name" validateStatus={nameError ? 'error' : undefined} help={nameError ?? t('viewDesigner.nameHelp')}>
            <Input id="new-view-name" value={name} onChange={(e) => setName(e.target.value)} />
          </Form.Item>
          <Form.Item label={t('formDesigner.entity')} htmlFor="new-view-entity">
            <Select id="new-view-entity" showSearch optionFilterProp="label" value={entity} onChange={setEntity} options={[...(entities.data?.values() ?? [])].map((e) => ({ value: e.name, label: label(e.label, e.name) }))} />
          </Form.Item>
          <Form.Item label={t('viewDesigner.type')}>
            <Segmented aria-label={t('viewDesigner.type')} value={type} onChange={(v) => setType(v as 'list' | 'kanban')} options={[{ value: 'list', label: t('viewDesigner.list') }, { value: 'kanban', label: t('viewDesigner.kanban') }]} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
