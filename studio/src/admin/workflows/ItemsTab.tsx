// Triggers and actions: a list with what each does at a glance, a new item started from a template
// of its kind (on create, on update, schedule, relative date, SLA time in state; set fields, create
// a record, notify, webhook, take a transition, start an approval), and each item edited in a
// dialog — as a form for its kind (ItemForm) or as JSON — the API's dry run checks it on save and
// names any problem by its JSON pointer.

import { DeleteOutlined, EditOutlined } from '../../app/icons.tsx';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Segmented, Space, Tag } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listDocuments, type MetaDocument } from '../../api/admin-meta.ts';
import { hasForm, ItemForm, missingParts, type Item } from './ItemForm.tsx';
import type { WorkflowDoc } from './workflow-model.ts';
import { metadataName } from '../metadata-name.ts';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

export const triggerTemplates: Record<string, (doc: WorkflowDoc) => Item> = {
  create: () => ({ on: 'create', actions: [] }),
  update: () => ({ on: 'update', when: "priority = 'urgent'", actions: [] }),
  schedule: () => ({ on: 'schedule', cron: '0 9 * * 1', timezone: 'UTC', actions: [] }),
  date: () => ({ on: 'date', field: '', offset: '-1d', actions: [] }),
  inState: (doc) => ({ on: 'inState', state: Object.keys(doc.states ?? {})[0] ?? '', after: '8h', actions: [] }),
};

export const actionTemplates: Record<string, (doc: WorkflowDoc) => Item> = {
  setFields: () => ({ type: 'setFields', values: {} }),
  createRecord: (doc) => ({ type: 'createRecord', entity: doc.entity, values: {} }),
  updateRelated: () => ({ type: 'updateRelated', via: '' }),
  notify: () => ({ type: 'notify', to: { fields: ['owner'] }, subject: { en: 'Record {{ id }} needs attention', zh: '记录 {{ id }} 需要关注' }, channels: ['inbox'] }),
  webhook: () => ({ type: 'webhook', url: 'https://example.com/hook', secretRef: 'HOOK_SECRET', role: 'integration' }),
  transition: (doc) => ({ type: 'transition', transition: Object.keys(doc.transitions ?? {})[0] ?? '' }),
  startApproval: (doc) => ({ type: 'startApproval', transition: Object.keys(doc.transitions ?? {})[0] ?? '' }),
};

function summary(item: Item): string {
  const skip = new Set(['on', 'type', 'label', 'actions']);
  return Object.entries(item).filter(([k]) => !skip.has(k)).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ').slice(0, 160);
}

interface Editing {
  name: string;
  previous?: string;
  item: Item;
  mode: 'form' | 'json';
  text: string;
}

export function ItemsTab({ doc, which, onChange, entity, roles }: { doc: WorkflowDoc; which: 'triggers' | 'actions'; onChange: (doc: WorkflowDoc) => void; entity: MetaDocument; roles: { name: string; label: string }[] }) {
  const { t } = useTranslation();
  const items = (doc[which] ?? {}) as Record<string, Item>;
  const templates = which === 'triggers' ? triggerTemplates : actionTemplates;
  const kindKey = which === 'triggers' ? 'on' : 'type';
  const [editing, setEditing] = useState<Editing>();
  const [error, setError] = useState<string>();
  const [kind, setKind] = useState<string>(Object.keys(templates)[0]!);
  const entities = useQuery({ queryKey: ['admin', 'entities', 'all'], queryFn: () => listDocuments('entity'), enabled: editing !== undefined, staleTime: 60_000 });

  const open = (name: string, item: Item, previous?: string) => {
    setError(undefined);
    setEditing({ name, ...(previous ? { previous } : {}), item, mode: hasForm(which, item) ? 'form' : 'json', text: JSON.stringify(item, null, 2) });
  };

  /** The item as edited, from the JSON text in JSON mode; a message when it is not an object. */
  const current = (e: Editing): Item | string => {
    if (e.mode === 'form') return e.item;
    let parsed: unknown;
    try {
      parsed = JSON.parse(e.text);
    } catch (err) {
      return t('wfDesigner.badJson', { message: (err as Error).message });
    }
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Item) : t('wfDesigner.mustBeObject');
  };

  const switchMode = (mode: 'form' | 'json') => {
    if (!editing || mode === editing.mode) return;
    if (mode === 'json') return setEditing({ ...editing, mode, text: JSON.stringify(editing.item, null, 2) });
    const item = current(editing);
    if (typeof item === 'string') return setError(item);
    if (!hasForm(which, item)) return setError(t('wfItem.noForm'));
    setError(undefined);
    setEditing({ ...editing, mode, item });
  };

  const save = () => {
    if (!editing) return;
    if (!metadataName.test(editing.name)) return setError(t('wfDesigner.nameRule'));
    const item = current(editing);
    if (typeof item === 'string') return setError(item);
    const missing = hasForm(which, item) ? missingParts(which, item) : [];
    if (missing.length > 0) return setError(t('wfItem.missing', { parts: missing.map((m) => t(`wfItem.${m}`)).join(', ') }));
    const next = { ...items };
    if (editing.previous && editing.previous !== editing.name) delete next[editing.previous];
    next[editing.name] = item;
    onChange({ ...doc, [which]: next });
    setEditing(undefined);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <ResponsiveTable
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
            key: 'actions', title: t('wfDesigner.actions'),
            render: (_, r) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} aria-label={t('wfDesigner.editItem', { name: r.name })} onClick={() => open(r.name, r.item, r.name)} />
                <Button size="small" icon={<DeleteOutlined />} aria-label={t('wfDesigner.removeItem', { name: r.name })} onClick={() => { const { [r.name]: _gone, ...rest } = items; onChange({ ...doc, [which]: rest }); }} />
              </Space>
            ),
          },
        ]}
      />
      <Space wrap>
        <Select aria-label={which === 'triggers' ? t('wfDesigner.triggerKind') : t('wfDesigner.actionKind')} value={kind} onChange={setKind} style={{ width: 220 }}
          options={Object.keys(templates).map((k) => ({ value: k, label: t(`wfDesigner.${which}_${k}`) }))} />
        <Button onClick={() => open('', templates[kind]!(doc))}>
          {which === 'triggers' ? t('wfDesigner.addTrigger') : t('wfDesigner.addAction')}
        </Button>
      </Space>
      <Modal open={editing !== undefined} title={editing?.previous ? t('wfDesigner.editItem', { name: editing.previous }) : which === 'triggers' ? t('wfDesigner.addTrigger') : t('wfDesigner.addAction')}
        onCancel={() => setEditing(undefined)} onOk={save} okText={t('wfDesigner.apply')} cancelText={t('wfDesigner.cancel')} destroyOnHidden width={640}>
        <Form layout="vertical" component="div">
          <Space wrap style={{ marginBottom: 12 }}>
            {editing && <Tag>{t(`wfDesigner.${which}_${String((current(editing) as Item)[kindKey] ?? editing.item[kindKey])}`, { defaultValue: String(editing.item[kindKey]) })}</Tag>}
            <Segmented aria-label={t('wfItem.mode')} value={editing?.mode ?? 'form'} onChange={(m) => switchMode(m as 'form' | 'json')}
              options={[{ value: 'form', label: t('wfItem.modeForm') }, { value: 'json', label: t('wfItem.modeJson') }]} />
          </Space>
          <Form.Item label={t('wfDesigner.name')} required htmlFor={`${which}-item-name`}>
            <Input id={`${which}-item-name`} value={editing?.name} autoComplete="off" onChange={(e) => setEditing((x) => x && { ...x, name: e.target.value.trim() })} />
          </Form.Item>
          {editing?.mode === 'form' && (
            <ItemForm which={which} item={editing.item} idPrefix={`${which}-item`} onChange={(item) => setEditing((x) => x && { ...x, item })}
              context={{ doc, entity, entities: entities.data ?? [entity], roles }} />
          )}
          {editing?.mode === 'json' && (
            <Form.Item label={t('wfDesigner.json')} htmlFor={`${which}-item-json`}>
              <Input.TextArea id={`${which}-item-json`} value={editing.text} onChange={(e) => setEditing((x) => x && { ...x, text: e.target.value })} autoSize={{ minRows: 6, maxRows: 18 }} style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          )}
          {error && <Alert type="error" title={error} showIcon role="alert" />}
        </Form>
      </Modal>
    </Space>
  );
}
