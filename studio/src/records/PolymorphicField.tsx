// A polymorphic lookup in a record form (an rjsf custom field): which kind of record it points at
// (an account, a deal or a case — those of the field's targets the user may read), then that
// record by a type-ahead search. The value is `{ entity, id }`, as the server stores it.

import type { FieldProps } from '@rjsf/utils';
import { Space, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEntities, type FieldDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import '../i18n/features.ts';
import { LookupSelect } from './LookupSelect.tsx';
import { useLookupTitles } from './lookup-titles.ts';

interface Reference {
  entity: string;
  id: string;
}

const asReference = (value: unknown): Reference | undefined =>
  typeof value === 'object' && value !== null && typeof (value as Reference).entity === 'string' && typeof (value as Reference).id === 'string' ? (value as Reference) : undefined;

export function PolymorphicField(props: FieldProps) {
  const { t } = useTranslation();
  const { label: localLabel } = useLanguage();
  const entities = useEntities();
  const field = ((props.uiSchema?.['ui:options'] as { field?: FieldDef } | undefined)?.field ?? { type: 'polymorphicLookup' }) as FieldDef;
  const current = asReference(props.formData);
  // The kind chosen before a record is: not a value yet, so kept here.
  const [kind, setKind] = useState<string | undefined>(current?.entity);
  const chosenKind = current?.entity ?? kind;
  const targets = (Array.isArray(field.to) ? field.to : field.to ? [field.to] : []).filter((name) => entities.data?.get(name));
  const kindLabel = (name: string) => localLabel(entities.data?.get(name)?.label, name);
  const title = useLookupTitles(current?.entity, current ? [current.id] : []);
  const label = String(props.schema.title ?? props.name);
  const readOnly = Boolean(props.readonly || props.disabled || props.uiSchema?.['ui:readonly']);
  const id = props.fieldPathId.$id;
  const set = (next: Reference | undefined) => props.onChange(next as never, props.fieldPathId.path);

  return (
    <div style={{ marginBottom: 24 }}>
      <label htmlFor={readOnly ? id : `${id}_kind`} style={{ display: 'block', paddingBottom: 8 }}>
        {label}
        {props.required && <span aria-hidden> *</span>}
      </label>
      {readOnly ? (
        <div id={id} style={{ padding: '4px 0' }}>
          {current ? `${kindLabel(current.entity)}: ${title.data?.get(current.id) ?? '…'}` : '—'}
        </div>
      ) : (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            id={`${id}_kind`}
            aria-label={t('polymorphic.kindLabel', { field: label })}
            placeholder={t('polymorphic.kindPlaceholder')}
            value={chosenKind}
            options={targets.map((name) => ({ value: name, label: kindLabel(name) }))}
            onChange={(next: string) => {
              setKind(next);
              if (current && current.entity !== next) set(undefined);
            }}
            style={{ width: '40%' }}
          />
          {chosenKind ? (
            <LookupSelect
              key={chosenKind}
              id={id}
              target={chosenKind}
              value={current?.entity === chosenKind ? current.id : undefined}
              onChange={(recordId) => set(recordId ? { entity: chosenKind, id: recordId } : undefined)}
              ariaLabel={t('polymorphic.recordLabel', { field: label })}
              style={{ width: '60%' }}
            />
          ) : (
            <Select id={id} disabled aria-label={t('polymorphic.recordLabel', { field: label })} placeholder={t('polymorphic.pick')} style={{ width: '60%' }} />
          )}
        </Space.Compact>
      )}
      {props.rawErrors?.map((message) => (
        <Typography.Text key={message} type="danger" style={{ display: 'block' }}>
          {message}
        </Typography.Text>
      ))}
    </div>
  );
}
