// States: the list (label, initial, final, SLA hours) with a small form to add one, a button to
// edit one (StateDrawer) and one to remove it. Removing a state records sit in is refused by the save's dry run, which says how many.

import { DeleteOutlined, EditOutlined } from '../../app/icons.tsx';
import { Alert, Button, Checkbox, Form, Input, Space, Tag } from 'antd';
import { InputNumber } from '../../app/localized-controls.tsx';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../app/use-language.ts';
import { addState, orderedStates, removeState, unreachableStates, type StateDoc, type WorkflowDoc } from './workflow-model.ts';
import { UnreachableTag } from './UnreachableTag.tsx';
import { metadataName } from '../metadata-name.ts';
import { NoZhLabel } from './NoZhLabel.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

interface NewState {
  name: string;
  labelEn: string;
  labelZh?: string;
  final?: boolean;
  slaHours?: number;
}

export function StatesTab({ doc, onChange, onEdit, usage }: { doc: WorkflowDoc; onChange: (doc: WorkflowDoc) => void; onEdit: (name: string) => void; usage?: Map<string, number> }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const [form] = Form.useForm<NewState>();
  const rows = orderedStates(doc).map(([name, s]) => ({ key: name, name, s }));
  const unreachable = unreachableStates(doc);
  const unreachableLabels = rows.filter((r) => unreachable.has(r.name)).map((r) => label(r.s.label, r.name));
  const add = (v: NewState) => {
    const state: StateDoc = { label: { en: v.labelEn, ...(v.labelZh ? { zh: v.labelZh } : {}) }, ...(v.final ? { final: true } : {}), ...(v.slaHours ? { slaHours: v.slaHours } : {}) };
    onChange(addState(doc, v.name, state));
    form.resetFields();
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {unreachableLabels.length > 0 && (
        <Alert type="warning" showIcon data-testid="unreachable-note" message={t('wfDesigner.unreachableNote', { count: unreachableLabels.length, states: unreachableLabels.join(t('wfDesigner.listSeparator')) })} />
      )}
      <ResponsiveTable
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: true }}
        columns={[
          { title: t('wfDesigner.name'), dataIndex: 'name' },
          { title: t('wfDesigner.label'), render: (_, r) => <>{label(r.s.label, r.name)}<NoZhLabel label={r.s.label} /></> },
          { title: t('wfDesigner.kind'), render: (_, r) => <>{r.s.initial && <Tag>{t('wfDesigner.initial')}</Tag>}{r.s.final && <Tag>{t('wfDesigner.final')}</Tag>}{unreachable.has(r.name) && <UnreachableTag state={r.name} />}</> },
          { title: t('wfDesigner.slaHours'), render: (_, r) => r.s.slaHours ?? '' },
          { title: t('wfDesigner.recordsInState'), render: (_, r) => usage?.get(r.name) ?? '' },
          {
            key: 'actions', title: t('wfDesigner.actions'),
            render: (_, r) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} aria-label={t('wfDesigner.editState', { name: label(r.s.label, r.name) })} onClick={() => onEdit(r.name)} />
                <Button size="small" icon={<DeleteOutlined />} aria-label={t('wfDesigner.removeState', { name: r.name })} disabled={r.s.initial} onClick={() => onChange(removeState(doc, r.name))} />
              </Space>
            ),
          },
        ]}
      />
      <Form form={form} name="newState" layout="inline" onFinish={add} aria-label={t('wfDesigner.addState')} style={{ rowGap: 8 }}>
        <Form.Item name="name" label={t('wfDesigner.stateName')} rules={[{ required: true, pattern: metadataName, message: t('wfDesigner.nameRule') }, { validator: async (_, v) => (v && doc.states?.[v] ? Promise.reject(new Error(t('wfDesigner.exists'))) : undefined) }]}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="labelEn" label={t('wfDesigner.labelEn')} rules={[{ required: true, message: t('wfDesigner.required') }]}>
          <Input style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="labelZh" label={t('wfDesigner.labelZh')}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="slaHours" label={t('wfDesigner.slaHours')}>
          <InputNumber min={1} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="final" valuePropName="checked">
          <Checkbox>{t('wfDesigner.final')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit">{t('wfDesigner.addState')}</Button>
      </Form>
    </Space>
  );
}
