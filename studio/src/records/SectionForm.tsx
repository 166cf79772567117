// One form section as its own rjsf form: a keystroke re-renders this section only, not the whole
// record (rjsf re-renders a whole form on every change — 160 ms per keystroke at 200 fields).
// Columns and spans from the form metadata; server errors arrive as extraErrors.

import Form from '@rjsf/antd';
import type { ErrorSchema, ObjectFieldTemplateProps, RJSFSchema } from '@rjsf/utils';
import { Grid } from 'antd';
import { memo, useMemo, useState } from 'react';
import { DeferredBaseInputTemplate } from './DeferredInput.tsx';
import { LightFieldTemplate } from './FieldTemplate.tsx';
import { InputLookProvider } from './light-input.tsx';
import { serverValidator } from './server-validator.ts';
import { recordWidgets } from './widgets.tsx';
import { FileField, type FileTarget } from './FileField.tsx';
import { PolymorphicField } from './PolymorphicField.tsx';
import { ConsentField } from './ConsentField.tsx';
import type { SectionSchemas } from './form-model.ts';
import type { DraftValues } from './draft-values.ts';
import './section-form.css';

function GridTemplate(props: ObjectFieldTemplateProps) {
  const columns = (props.registry.formContext as { columns?: number } | undefined)?.columns ?? 1;
  const screens = Grid.useBreakpoint();
  const cols = screens.md === false ? 1 : columns;
  // The last row's items keep antd's bottom margin, and the section's own item adds another: the
  // negative margin takes one of the two back, so a card (or a composite field) ends like any form item.
  const grid = (
    <div style={{ display: 'grid', gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, columnGap: 16, marginBottom: -24 }}>
      {props.properties.map((p) => {
        const options = (props.uiSchema?.[p.name] as { 'ui:options'?: { span?: number } } | undefined)?.['ui:options'];
        const span = Math.min(cols, options?.span ?? 1);
        return (
          <div key={p.name} style={{ gridColumn: `span ${span}` }}>
            {p.content}
          </div>
        );
      })}
    </div>
  );
  // A section's own object has no title; a composite field in it (an address) has its field's label:
  // its parts (Street, City…) are named by it, on screen and for a screen reader, or two addresses
  // of one record read alike.
  if (!props.title) return grid;
  return (
    <fieldset style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      <legend className="ant-form-item-label" style={{ fontWeight: 600, paddingBottom: 8, marginBottom: 0, borderBottom: 0, fontSize: 'inherit' }}>
        {props.title}
        {props.required && <span aria-hidden> *</span>}
      </legend>
      {grid}
    </fieldset>
  );
}

const templates = { ObjectFieldTemplate: GridTemplate, BaseInputTemplate: DeferredBaseInputTemplate, FieldTemplate: LightFieldTemplate };
const fields = { file: FileField, polymorphic: PolymorphicField, consent: ConsentField };

export interface SectionFormProps {
  sectionKey: string;
  schemas: SectionSchemas;
  columns: number;
  initial: Record<string, unknown>;
  errors: ErrorSchema | undefined;
  onFieldsChange: (section: string, values: Record<string, unknown>) => void;
  onSubmit: () => void;
  /** The record edited, for fields that upload (files); absent in previews. */
  target?: FileTarget;
  /** The whole record as edited, for fields that depend on others (filtered lookups). */
  draft?: DraftValues;
  /** The entity of the record, where there is no `target` (a preview): a filtered lookup's search names it. */
  entity?: string;
}

export const SectionForm = memo(function SectionForm({ sectionKey, schemas, columns, initial, errors, onFieldsChange, onSubmit, target, draft, entity }: SectionFormProps) {
  const [data, setData] = useState(initial);
  const formContext = useMemo(() => ({ columns, target, draft, entity: entity ?? target?.entity }), [columns, target, draft, entity]);
  return (
    <InputLookProvider>
    <Form
      schema={schemas.schema as RJSFSchema}
      uiSchema={schemas.uiSchema}
      formData={data}
      validator={serverValidator}
      widgets={recordWidgets}
      fields={fields}
      templates={templates}
      formContext={formContext}
      extraErrors={errors}
      showErrorList={false}
      noHtml5Validate
      idPrefix={`f_${sectionKey}`}
      onChange={(e) => {
        const next = (e.formData ?? {}) as Record<string, unknown>;
        setData(next);
        onFieldsChange(sectionKey, next);
      }}
      onSubmit={() => onSubmit()}
    />
    </InputLookProvider>
  );
});
