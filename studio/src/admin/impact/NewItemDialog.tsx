// "New form", "New workflow", "New role": a name (checked as it is typed, the reason shown beside
// it), the entity when the kind has one, a label; the first document is built from them and goes
// through the dry run like every other change, then its designer opens. Without it an admin who
// models a new entity in the studio could not give it its own form, process or role.

import { Checkbox, Form, Input, Modal } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetaDocument } from '../../api/designer.ts';
import type { EntityDef } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { useReviewedSave } from './DryRunReport.tsx';
import { LocalizedInput, toLocalized } from './LocalizedInput.tsx';
import { metadataName } from '../metadata-name.ts';

export interface NewItemInput {
  name: string;
  entity?: EntityDef;
  /** The chosen field of the entity, for a kind that asks for one (a workflow's state field). */
  field?: string;
  /** The values ticked among the chosen field's (`ticks`): a workflow's final states. */
  ticked?: string[];
  label: { en?: string; zh?: string };
}

/** Values of the chosen field to tick (a workflow's final states): what is said above them, the values, and those ticked at first. */
export interface TickChoice {
  label: string;
  help: string;
  options: (entity: EntityDef, field: string) => { value: string; label: string; disabled?: boolean }[];
  initial: (entity: EntityDef, field: string) => string[];
}

export function NewItemDialog(props: {
  id: string;
  title: string;
  open: boolean;
  onClose: () => void;
  /** Names already used by this kind. */
  taken: (name: string) => boolean;
  /** The entities to choose from; absent when the kind has no entity. */
  entities?: EntityDef[];
  /** A field of the chosen entity to pick (a workflow's state field): its label, the fields it may be, and what to say when there is none. */
  field?: { label: string; candidates: (entity: EntityDef) => string[]; none: string };
  ticks?: TickChoice;
  build: (input: NewItemInput) => MetaDocument;
  onApplied: (name: string) => void;
}) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const [name, setName] = useState('');
  const [entityName, setEntityName] = useState<string>();
  const [itemLabel, setItemLabel] = useState<{ en?: string; zh?: string }>();
  const { review, modal } = useReviewedSave(() => props.onApplied(name));
  const [fieldName, setFieldName] = useState<string>();
  const entity = props.entities?.find((e) => e.name === entityName);
  const candidates = entity && props.field ? props.field.candidates(entity) : [];
  // Chosen for the admin only when there is no choice: the first of several picklists is a guess.
  const field = fieldName && candidates.includes(fieldName) ? fieldName : candidates.length === 1 ? candidates[0] : undefined;
  // What the admin ticked for this entity and field; another field starts again from the initial ticks.
  const [ticked, setTicked] = useState<{ key: string; values: string[] }>();
  const tickKey = `${entity?.name}/${field}`;
  const ticks = entity && field && props.ticks ? (ticked?.key === tickKey ? ticked.values : props.ticks.initial(entity, field)) : undefined;
  const nameError = name && !metadataName.test(name) ? t('entityDesigner.nameRule') : name && props.taken(name) ? t('entityDesigner.nameTaken') : undefined;
  const entityError = entity && props.field && candidates.length === 0 ? props.field.none : undefined;
  const ready = Boolean(name) && !nameError && (!props.entities || (entity !== undefined && !entityError)) && (!props.field || field !== undefined);
  const create = () => {
    if (!ready) return;
    const l = toLocalized(itemLabel);
    props.onClose();
    review([props.build({ name, ...(entity ? { entity } : {}), ...(field ? { field } : {}), ...(ticks ? { ticked: ticks } : {}), label: l.en || l.zh ? l : { en: name } })]);
  };
  return (
    <>
      <Modal open={props.open} title={props.title} onCancel={props.onClose} okText={t('entityDesigner.reviewAndSave')} cancelText={t('impact.cancel')} okButtonProps={{ disabled: !ready }} onOk={create} destroyOnHidden>
        <Form layout="vertical" component="div">
          <Form.Item label={t('entityDesigner.fieldName')} htmlFor={`${props.id}-name`} validateStatus={nameError ? 'error' : undefined} help={nameError ?? t('entityDesigner.nameHelp')}>
            <Input id={`${props.id}-name`} value={name} aria-invalid={Boolean(nameError)} onChange={(e) => setName(e.target.value.trim())} autoComplete="off" />
          </Form.Item>
          {props.entities && (
            <Form.Item label={t('formDesigner.entity')} htmlFor={`${props.id}-entity`} validateStatus={entityError ? 'error' : undefined} help={entityError}>
              <Select id={`${props.id}-entity`} showSearch optionFilterProp="label" value={entityName} onChange={setEntityName} options={props.entities.map((e) => ({ value: e.name, label: label(e.label, e.name) }))} />
            </Form.Item>
          )}
          {props.field && entity && candidates.length > 0 && (
            <Form.Item label={props.field.label} htmlFor={`${props.id}-field`}>
              <Select id={`${props.id}-field`} value={field} onChange={setFieldName} options={candidates.map((f) => ({ value: f, label: label(entity.fields[f]?.label, f) }))} />
            </Form.Item>
          )}
          {props.ticks && entity && field && ticks && (
            <Form.Item label={<span id={`${props.id}-ticks-label`}>{props.ticks.label}</span>} extra={props.ticks.help}>
              <Checkbox.Group aria-labelledby={`${props.id}-ticks-label`} value={ticks} onChange={(values) => setTicked({ key: tickKey, values: values.map(String) })} options={props.ticks.options(entity, field)} />
            </Form.Item>
          )}
          <Form.Item label={t('entityDesigner.opt.label')}>
            <LocalizedInput id={`${props.id}-label`} label={t('entityDesigner.opt.label')} value={itemLabel} onChange={setItemLabel} />
          </Form.Item>
        </Form>
      </Modal>
      {modal}
    </>
  );
}
