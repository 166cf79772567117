// Every entity with its field count and where it comes from (a template or the admin), each opening
// its designer; a new entity is created through the dry run like every other change.

import { Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { MetaDocument } from '../../api/designer.ts';
import { useMetaKind } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { useReviewedSave } from '../impact/DryRunReport.tsx';
import { LocalizedInput, toLocalized } from '../impact/LocalizedInput.tsx';
import { UsagesButton } from '../impact/UsagesButton.tsx';
import { metadataName } from '../metadata-name.ts';
import type { Label } from '../../i18n/i18n.ts';
import { MenuGroupPicker } from './MenuGroupPicker.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';


export default function EntityListPage() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const entities = useMetaKind('entities');
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [entityLabel, setEntityLabel] = useState<{ en?: string; zh?: string }>();
  const [menuGroup, setMenuGroup] = useState<Label>();
  const { review, modal } = useReviewedSave(() => void navigate(`/admin/entities/${name}`));
  const rows = [...(entities.data?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  // Said beside the name: a disabled button alone does not tell why it is disabled.
  const nameError = name && !metadataName.test(name) ? t('entityDesigner.nameRule') : entities.data?.has(name) ? t('entityDesigner.nameTaken') : undefined;
  const create = () => {
    const l = toLocalized(entityLabel);
    setCreating(false);
    review([{ kind: 'entity', name, label: l.en || l.zh ? l : name, ...(menuGroup !== undefined ? { menuGroup } : {}), titleField: 'name', fields: { name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true } } } as MetaDocument]);
  };
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('entityDesigner.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('entityDesigner.newEntity')}
        </Button>
      </Space>
      <ResponsiveTable
        size="small"
        loading={entities.isPending}
        rowKey="name"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 560 }}
        columns={[
          { title: t('entityDesigner.entity'), render: (_, e) => <Link to={`/admin/entities/${e.name}`}>{label(e.label, e.name)}</Link> },
          { title: t('entityDesigner.fieldName'), render: (_, e) => <code>{e.name}</code> },
          { title: t('entityDesigner.fieldCount'), render: (_, e) => <Tag>{Object.keys(e.fields).length}</Tag> },
          { key: 'actions', title: t('entityDesigner.actions'), render: (_, e) => <UsagesButton size="small" entity={e.name} /> },
        ]}
      />
      <Modal open={creating} title={t('entityDesigner.newEntity')} onCancel={() => setCreating(false)} okText={t('entityDesigner.reviewAndSave')} cancelText={t('impact.cancel')} okButtonProps={{ disabled: !name || Boolean(nameError) }} onOk={create}>
        <Form layout="vertical" component="div">
          <Form.Item label={t('entityDesigner.fieldName')} htmlFor="entity-name" validateStatus={nameError ? 'error' : undefined} help={nameError ?? t('entityDesigner.nameHelp')}>
            <Input id="entity-name" value={name} aria-invalid={Boolean(nameError)} onChange={(e) => setName(e.target.value.trim())} autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('entityDesigner.opt.label')}>
            <LocalizedInput id="new-entity-label" label={t('entityDesigner.opt.label')} value={entityLabel} onChange={setEntityLabel} />
          </Form.Item>
          <Form.Item label={t('entityDesigner.menuGroup')} htmlFor="new-entity-menu-group" extra={t('entityDesigner.menuGroupHelp')}>
            <MenuGroupPicker id="new-entity-menu-group" value={menuGroup} onChange={setMenuGroup} />
          </Form.Item>
        </Form>
      </Modal>
      {modal}
    </div>
  );
}
