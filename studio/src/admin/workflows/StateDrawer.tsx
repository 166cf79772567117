// One state edited in a drawer: its labels, whether it is final, and its SLA. The state's name
// stays (records and transitions refer to it; renaming is remove and add), and so do its order,
// its colour and whether it is the initial state.

import { Button, Checkbox, Drawer, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { InputNumber } from '../../app/localized-controls.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { labelIn, type StateDoc } from './workflow-model.ts';

interface StateValues {
  labelEn: string;
  labelZh?: string;
  final?: boolean;
  slaHours?: number | null;
}

export function StateDrawer({ name, state, onClose, onSave }: { name: string | undefined; state: StateDoc | undefined; onClose: () => void; onSave: (name: string, state: StateDoc) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const open = name !== undefined && state !== undefined;
  // The form's submit button sits in the drawer's header, outside the form: it names the form by its id.
  return (
    <Drawer open={open} onClose={onClose} destroyOnHidden size={420} title={open ? t('wfDesigner.editState', { name: label(state.label, name) }) : ''}
      extra={<Button type="primary" htmlType="submit" form="editState">{t('wfDesigner.apply')}</Button>}>
      {open && <StateForm key={name} name={name} state={state} onSave={(next) => { onSave(name, next); onClose(); }} />}
    </Drawer>
  );
}

/** A form of its own per state (keyed by its name), so that one state's values never show in another's. */
function StateForm({ name, state, onSave }: { name: string; state: StateDoc; onSave: (state: StateDoc) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const save = (v: StateValues) => {
    const { final: _final, slaHours: _sla, ...kept } = state;
    onSave({ ...kept, label: { en: v.labelEn.trim(), ...(v.labelZh?.trim() ? { zh: v.labelZh.trim() } : {}) }, ...(v.final && !state.initial ? { final: true } : {}), ...(v.slaHours ? { slaHours: v.slaHours } : {}) });
  };
  return (
    <Form name="editState" layout="vertical" onFinish={save} aria-label={t('wfDesigner.editState', { name: label(state.label, name) })}
      initialValues={{ labelEn: labelIn(state.label, 'en') ?? name, labelZh: labelIn(state.label, 'zh'), final: state.final === true, slaHours: state.slaHours }}>
      <Form.Item label={t('wfDesigner.stateName')} htmlFor="edit-state-name">
        <Input id="edit-state-name" value={name} disabled />
      </Form.Item>
      <Form.Item name="labelEn" label={t('wfDesigner.labelEn')} rules={[{ required: true, whitespace: true, message: t('wfDesigner.required') }]}>
        <Input />
      </Form.Item>
      <Form.Item name="labelZh" label={t('wfDesigner.labelZh')}>
        <Input />
      </Form.Item>
      <Form.Item name="slaHours" label={t('wfDesigner.slaHours')}>
        <InputNumber min={1} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="final" valuePropName="checked" extra={state.initial ? t('wfDesigner.initialNotFinal') : undefined}>
        <Checkbox disabled={state.initial === true}>{t('wfDesigner.final')}</Checkbox>
      </Form.Item>
    </Form>
  );
}
