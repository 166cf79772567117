// Triggers and actions: a list with what each does at a glance, a new item started from a template
// of its kind (on create, on update, schedule, relative date, SLA time in state; set fields, create
// a record, notify, webhook, take a transition, start an approval), and each item's JSON edited in
// a dialog — the API's dry run checks it on save and names any problem by its JSON pointer.

import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { namePattern, type WorkflowDoc } from './workflow-model.ts';

type Item = Record<string, unknown>;

export const triggerTemplates: Record<string, (doc: WorkflowDoc) => Item> = {
  create: () => ({ on: 'create', actions: [] }),
  update: () => ({ on: 'update', when: "priority = 'urgent'", actions: [] }),
  schedule: () => ({ on: 'schedule', cron: '0 9 * * 1', timezone: 'UTC', actions: [] }),
  date: () => ({ on: 'date', field: 'dueDate', offset: '-1d', actions: [] }),
  inState: (doc) => ({ on: 'inState', state: Object.keys(doc.states ?? {})[0] ?? '', after: '8h', actions: [] }),
};

export const actionTemplates: Record<string, (doc: WorkflowDoc) => Item> = {
  setFields: () => ({ type: 'setFields', values: { field: '$now()' } }),
  createRecord: (doc) => ({ type: 'createRecord', entity: doc.entity, values: {} }),
  notify: () => ({ type: 'notify', to: { fields: ['owner'] }, subject: { en: 'Record {{ id }} needs attention', zh: '记录 {{ id }} 需要关注' }, channels: ['inbox'] }),
  webhook: () => ({ type: 'webhook', url: 'https://example.com/hook', secretRef: 'HOOK_SECRET', role: 'integration' }),
  transition: (doc) => ({ type: 'transition', transition: Object.keys(doc.transitions ?? {})[0] ?? '' }),
  startApproval: (doc) => ({ type: 'startApproval', transition: Object.keys(doc.transitions ?? {})[0] ?? '' }),
};

function summary(item: Item): string {
  const skip = new Set(['on', 'type', 'label', 'actions']);
  return Object.entries(item).filter(([k]) => !skip.has(k)).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ').slice(0, 160);
}

export function ItemsTab({ doc, which, onChange }: { doc: WorkflowDoc; which: 'triggers' | 'actions'; onChange: (doc: WorkflowDoc) => void }) {
  const { t } = useTranslation();
  const items = (doc[which] ?? {}) as Record<string, Item>;
  const templates = which === 'triggers' ? triggerTemplates : actionTemplates;
  const kindKey = which === 'triggers' ? 'on' : 'type';
  const [editing, setEditing] = useState<{ name: string; previous?: string; text: string }>();
  const [error, setError] = useState<string>();
  const [kind, setKind] = useState<string>(Object.keys(templates)[0]!);

  const save = () => {
    if (!editing) return;
    if (!namePattern.test(editing.name)) return setError(t('wfDesigner.nameRule'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(editing.text);
    } catch (e) {
      return setError(t('wfDesigner.badJson', { message: (e as Error).message }));
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return setError(t('wfDesigner.mustBeObject'));
    const next = { ...items };
    if (editing.previous && editing.previous !== editing.name) delete next[editing.previous];
    next[editing.name] = parsed as Item;
    onChange({ ...doc, [which]: next });
    setEditing(undefined);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Table
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={Object.entries(items).map(([name, item]) => ({ key: name, name, item }))}
        columns={[
          { title: t('wfDesigner.name'), dataIndex: 'name' },
          { title: t('wfDesigner.kind'), render: (_, r) => <Tag>{t(`wfDesigner.${which}_${String(r.item[kindKey])}`, { defaultValue: String(r.item[kindKey]) })}</Tag> },
          { title: t('wfDesigner.details'), render: (_, r) => <code style={{ fontSize: 12 }}>{summary(r.item)}</code> },
          { title: which === 'triggers' ? t('wfDesigner.runsActions') : t('wfDesigner.usedBy'), render: (_, r) => (which === 'triggers' ? ((r.item['actions'] as string[] | undefined) ?? []).join(', ') : Object.entries(doc.transitions ?? {}).filter(([, tr]) => tr.actions?.includes(r.name)).map(([n]) => n).join(', ')) },
          {
            title: t('wfDesigner.actions'),
            render: (_, r) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} aria-label={t('wfDesigner.editItem', { name: r.name })} onClick={() => { setError(undefined); setEditing({ name: r.name, previous: r.name, text: JSON.stringify(r.item, null, 2) }); }} />
                <Button size="small" icon={<DeleteOutlined />} aria-label={t('wfDesigner.removeItem', { name: r.name })} onClick={() => { const { [r.name]: _gone, ...rest } = items; onChange({ ...doc, [which]: rest }); }} />
              </Space>
            ),
          },
        ]}
      />
      <Space wrap>
        <Select aria-label={which === 'triggers' ? t('wfDesigner.triggerKind') : t('wfDesigner.actionKind')} value={kind} onChange={setKind} style={{ width: 220 }}
          options={Object.keys(templates).map((k) => ({ value: k, label: t(`wfDesigner.${which}_${k}`) }))} />
        <Button onClick={() => { setError(undefined); setEditing({ name: '', text: JSON.stringify(templates[kind]!(doc), null, 2) }); }}>
          {which === 'triggers' ? t('wfDesigner.addTrigger') : t('wfDesigner.addAction')}
        </Button>
      </Space>
      <Modal open={editing !== undefined} title={editing?.previous ? t('wfDesigner.editItem', { name: editing.previous }) : which === 'triggers' ? t('wfDesigner.addTrigger') : t('wfDesigner.addAction')}
        onCancel={() => setEditing(undefined)} onOk={save} okText={t('wfDesigner.apply')} cancelText={t('wfDesigner.cancel')} destroyOnHidden>
        <Form layout="vertical">
          <Form.Item label={t('wfDesigner.name')} required htmlFor={`${which}-item-name`}>
            <Input id={`${which}-item-name`} value={editing?.name} onChange={(e) => setEditing((x) => x && { ...x, name: e.target.value })} />
          </Form.Item>
          <Form.Item label={t('wfDesigner.json')} htmlFor={`${which}-item-json`}>
            <Input.TextArea id={`${which}-item-json`} value={editing?.text} onChange={(e) => setEditing((x) => x && { ...x, text: e.target.value })} autoSize={{ minRows: 6, maxRows: 18 }} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          {error && <Alert type="error" message={error} showIcon />}
        </Form>
      </Modal>
    </Space>
  );
}
