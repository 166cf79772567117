// One transition edited in a drawer: name, labels, from and to states, guard (a JSONata condition)
// with its message, roles, required fields, comment, actions, and an optional approval made of
// ordered steps (each with an approver — a role, a user's e-mail or a user field — and a condition).

import { MinusCircleOutlined, PlusOutlined } from '../../app/icons.tsx';
import { Button, Card, Drawer, Form, Input, Space, Switch } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../app/use-language.ts';
import type { Label } from '../../i18n/i18n.ts';
import { labelIn, orderedStates, type TransitionDoc, type WorkflowDoc } from './workflow-model.ts';
import { metadataName } from '../metadata-name.ts';

interface StepValues {
  name: string;
  labelEn: string;
  labelZh?: string;
  approverKind: 'role' | 'user' | 'field';
  approver: string;
  when?: string;
}

interface TransitionValues {
  name: string;
  labelEn: string;
  labelZh?: string;
  from: string[];
  to: string;
  guard?: string;
  guardMessageEn?: string;
  guardMessageZh?: string;
  roles?: string[];
  requiredFields?: string[];
  comment: 'none' | 'optional' | 'required';
  actions?: string[];
  approvalOn?: boolean;
  approvalWhen?: string;
  steps?: StepValues[];
}

function toValues(name: string, t: TransitionDoc | undefined, from?: string, to?: string): TransitionValues {
  if (!t) return { name: '', labelEn: '', from: from ? [from] : [], to: to ?? '', comment: 'optional', roles: [], requiredFields: [], actions: [], steps: [] };
  return {
    name,
    labelEn: labelIn(t.label, 'en') ?? '',
    labelZh: labelIn(t.label, 'zh'),
    from: t.from === '*' ? ['*'] : typeof t.from === 'string' ? [t.from] : t.from,
    to: t.to,
    guard: t.guard,
    guardMessageEn: t.guardMessage ? labelIn(t.guardMessage, 'en') : undefined,
    guardMessageZh: t.guardMessage ? labelIn(t.guardMessage, 'zh') : undefined,
    roles: t.roles ?? [],
    requiredFields: t.requiredFields ?? [],
    comment: t.comment ?? 'optional',
    actions: t.actions ?? [],
    approvalOn: t.approval !== undefined,
    approvalWhen: t.approval?.when,
    steps: Object.entries(t.approval?.steps ?? {}).sort(([, a], [, b]) => a.order - b.order).map(([stepName, s]) => {
      const kind = s.approver.role !== undefined ? 'role' : s.approver.user !== undefined ? 'user' : 'field';
      return { name: stepName, labelEn: labelIn(s.label, 'en') ?? stepName, labelZh: labelIn(s.label, 'zh'), approverKind: kind, approver: s.approver[kind] ?? '', ...(s.when ? { when: s.when } : {}) };
    }),
  };
}

function toDoc(v: TransitionValues, previous: TransitionDoc | undefined): TransitionDoc {
  const { label: _l, from: _f, to: _t, guard: _g, guardMessage: _gm, roles: _r, requiredFields: _rf, comment: _c, actions: _a, approval: _ap, ...kept } = previous ?? ({} as TransitionDoc);
  const from = v.from.includes('*') ? '*' : v.from.length === 1 ? v.from[0]! : v.from;
  const steps = v.approvalOn && v.steps?.length
    ? Object.fromEntries(v.steps.map((s, i) => [s.name, { order: (i + 1) * 10, label: { en: s.labelEn, ...(s.labelZh ? { zh: s.labelZh } : {}) }, approver: { [s.approverKind]: s.approver }, ...(s.when ? { when: s.when } : {}) }]))
    : undefined;
  return {
    ...kept,
    label: { en: v.labelEn, ...(v.labelZh ? { zh: v.labelZh } : {}) },
    from,
    to: v.to,
    ...(v.guard ? { guard: v.guard } : {}),
    ...(v.guard && (v.guardMessageEn || v.guardMessageZh) ? { guardMessage: { ...(v.guardMessageEn ? { en: v.guardMessageEn } : {}), ...(v.guardMessageZh ? { zh: v.guardMessageZh } : {}) } } : {}),
    ...(v.roles?.length ? { roles: v.roles } : {}),
    ...(v.requiredFields?.length ? { requiredFields: v.requiredFields } : {}),
    ...(v.comment !== 'optional' ? { comment: v.comment } : {}),
    ...(v.actions?.length ? { actions: v.actions } : {}),
    ...(steps ? { approval: { ...(v.approvalWhen ? { when: v.approvalWhen } : {}), steps } } : {}),
  };
}

export interface TransitionDrawerProps {
  open: boolean;
  doc: WorkflowDoc;
  /** The transition edited; undefined for a new one (optionally between two states). */
  name?: string;
  proposal?: { from: string; to: string };
  fields: { name: string; label: string }[];
  roles: { name: string; label: string }[];
  onClose: () => void;
  onSave: (name: string, transition: TransitionDoc, previousName?: string) => void;
}

export function TransitionDrawer({ open, doc, name, proposal, fields, roles, onClose, onSave }: TransitionDrawerProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const [form] = Form.useForm<TransitionValues>();
  const existing = name ? doc.transitions?.[name] : undefined;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(toValues(name ?? '', existing, proposal?.from, proposal?.to));
  }, [open, name, existing, proposal, form]);
  const stateOptions = orderedStates(doc).map(([n, s]) => ({ value: n, label: `${label(s.label, n)} (${n})` }));
  const approvalOn = Form.useWatch('approvalOn', form);
  return (
    <Drawer open={open} onClose={onClose} title={name ? t('wfDesigner.editTransition', { name: label(existing?.label, name) }) : t('wfDesigner.newTransition')} size={520} destroyOnHidden
      extra={<Button type="primary" onClick={() => form.submit()}>{t('wfDesigner.apply')}</Button>}>
      <Form form={form} name="transition" layout="vertical" onFinish={(v) => { onSave(v.name, toDoc(v, existing), name); onClose(); }}>
        <Form.Item name="name" label={t('wfDesigner.transitionName')} rules={[{ required: true, pattern: metadataName, message: t('wfDesigner.nameRule') }, { validator: async (_, v) => (v && v !== name && doc.transitions?.[v] ? Promise.reject(new Error(t('wfDesigner.exists'))) : undefined) }]}>
          <Input />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="labelEn" label={t('wfDesigner.labelEn')} rules={[{ required: true, message: t('wfDesigner.required') }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="labelZh" label={t('wfDesigner.labelZh')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="from" label={t('wfDesigner.from')} rules={[{ required: true, message: t('wfDesigner.required') }]}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={[{ value: '*', label: t('wfDesigner.anyState') }, ...stateOptions]} />
        </Form.Item>
        <Form.Item name="to" label={t('wfDesigner.to')} rules={[{ required: true, message: t('wfDesigner.required') }]}>
          <Select showSearch optionFilterProp="label" options={stateOptions} />
        </Form.Item>
        <Form.Item name="guard" label={t('wfDesigner.guard')} extra={t('wfDesigner.guardHelp')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="guardMessageEn" label={t('wfDesigner.guardMessage')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="guardMessageZh" label={t('wfDesigner.guardMessageZh')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="roles" label={t('wfDesigner.roles')} extra={t('wfDesigner.rolesHelp')}>
          <Select mode="multiple" optionFilterProp="label" options={roles.map((r) => ({ value: r.name, label: r.label }))} />
        </Form.Item>
        <Form.Item name="requiredFields" label={t('wfDesigner.requiredFields')}>
          <Select mode="multiple" optionFilterProp="label" options={fields.map((f) => ({ value: f.name, label: `${f.label} (${f.name})` }))} />
        </Form.Item>
        <Form.Item name="comment" label={t('wfDesigner.comment')}>
          <Select options={(['none', 'optional', 'required'] as const).map((c) => ({ value: c, label: t(`wfDesigner.comment_${c}`) }))} />
        </Form.Item>
        <Form.Item name="actions" label={t('wfDesigner.transitionActions')}>
          <Select mode="multiple" optionFilterProp="label" options={Object.entries(doc.actions ?? {}).map(([a, action]) => ({ value: a, label: action['label'] ? `${label(action['label'] as Label, a)} (${a})` : a }))} />
        </Form.Item>
        <Form.Item name="approvalOn" label={t('wfDesigner.approval')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {approvalOn && (
          <>
            <Form.Item name="approvalWhen" label={t('wfDesigner.approvalWhen')}>
              <Input style={{ fontFamily: 'monospace' }} />
            </Form.Item>
            <Form.List name="steps">
              {(items, { add, remove }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {items.map((item, i) => (
                    <Card key={item.key} size="small" title={t('wfDesigner.step', { n: i + 1 })} extra={<Button size="small" icon={<MinusCircleOutlined />} aria-label={t('wfDesigner.removeStep', { n: i + 1 })} onClick={() => remove(item.name)} />}>
                      <Form.Item name={[item.name, 'name']} label={t('wfDesigner.stepName')} rules={[{ required: true, pattern: metadataName, message: t('wfDesigner.nameRule') }]}>
                        <Input />
                      </Form.Item>
                      <Space.Compact block>
                        <Form.Item name={[item.name, 'labelEn']} label={t('wfDesigner.labelEn')} rules={[{ required: true, message: t('wfDesigner.required') }]} style={{ flex: 1 }}>
                          <Input />
                        </Form.Item>
                        <Form.Item name={[item.name, 'labelZh']} label={t('wfDesigner.labelZh')} style={{ flex: 1 }}>
                          <Input />
                        </Form.Item>
                      </Space.Compact>
                      <Space.Compact block>
                        <Form.Item name={[item.name, 'approverKind']} label={t('wfDesigner.approverKind')} initialValue="role">
                          <Select style={{ width: 130 }} options={(['role', 'user', 'field'] as const).map((k) => ({ value: k, label: t(`wfDesigner.approver_${k}`) }))} />
                        </Form.Item>
                        <Form.Item noStyle dependencies={[['steps', item.name, 'approverKind']]}>
                          {() => (
                            <Form.Item name={[item.name, 'approver']} label={t('wfDesigner.approver')} rules={[{ required: true, message: t('wfDesigner.required') }]} style={{ flex: 1 }}>
                              {/* A role is picked by its label (its name was typed from memory before); a user's e-mail or a field name is typed. */}
                              {form.getFieldValue(['steps', item.name, 'approverKind']) === 'role' ? <Select showSearch optionFilterProp="label" options={roles.map((r) => ({ value: r.name, label: r.label }))} /> : <Input />}
                            </Form.Item>
                          )}
                        </Form.Item>
                      </Space.Compact>
                      <Form.Item name={[item.name, 'when']} label={t('wfDesigner.stepWhen')}>
                        <Input style={{ fontFamily: 'monospace' }} />
                      </Form.Item>
                    </Card>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ approverKind: 'role' })}>{t('wfDesigner.addStep')}</Button>
                </Space>
              )}
            </Form.List>
          </>
        )}
      </Form>
    </Drawer>
  );
}
