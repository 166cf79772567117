// A list cell the user can change in place: click (or Enter) to edit, Enter or leaving the field
// saves through the API with the row's version; Escape cancels. Computed and read-only fields
// are shown, not edited.

import { DatePicker, Input } from 'antd';
import { InputNumber, Select } from '../app/localized-controls.tsx';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { FieldDef } from '../api/meta.ts';
import { optionLabel, ValueView } from '../records/format-value.tsx';
import { pickerFormats } from '../i18n/format.ts';
import type { Language } from '../i18n/i18n.ts';

const editableTypes = new Set(['text', 'email', 'phone', 'url', 'integer', 'number', 'currency', 'percent', 'picklist', 'date']);

export function isInlineEditable(field: FieldDef | undefined): boolean {
  return Boolean(field && editableTypes.has(field.type) && !field.readOnly);
}

/** `label` names the field (the input's name when editing); `editLabel` the cell's button ("Edit …"), made once per column by the list. */
export function EditableCell(props: { field: FieldDef; value: unknown; language: Language; label: string; editLabel: string; onSave: (value: unknown) => Promise<void> }) {
  const { field, value, language, label, editLabel, onSave } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<unknown>(value);
  const [saving, setSaving] = useState(false);
  const commit = async (next: unknown) => {
    setEditing(false);
    if (next === value || (next === '' && value === undefined)) return;
    setSaving(true);
    try {
      await onSave(next === '' || next === null ? null : next);
    } finally {
      setSaving(false);
    }
  };
  if (!editing) {
    return (
      <div
        role="button"
        tabIndex={0}
        aria-label={editLabel}
        className="crm-editable-cell"
        style={{ minHeight: 22, cursor: 'text', opacity: saving ? 0.5 : 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
        onClick={() => {
          setDraft(value);
          setEditing(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            setDraft(value);
            setEditing(true);
          }
        }}
      >
        <ValueView field={field} value={value} language={language} />
      </div>
    );
  }
  const common = { autoFocus: true, 'aria-label': label, size: 'small' as const, style: { width: '100%' } };
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') setEditing(false);
  };
  switch (field.type) {
    case 'picklist':
      return (
        <Select
          {...common}
          defaultOpen
          value={draft as string | undefined}
          options={Object.keys(field.options ?? {}).map((o) => ({ value: o, label: optionLabel(field, o, language) }))}
          onChange={(v) => void commit(v)}
          onBlur={() => setEditing(false)}
          onKeyDown={keys}
        />
      );
    case 'date':
      return <DatePicker {...common} defaultOpen format={pickerFormats(language, 'date')} value={draft ? dayjs(String(draft)) : null} onChange={(d) => void commit(d ? d.format('YYYY-MM-DD') : null)} onKeyDown={keys} />;
    case 'integer':
    case 'number':
    case 'currency':
    case 'percent':
      return (
        <InputNumber
          {...common}
          value={draft as number | undefined}
          onChange={(v) => setDraft(v)}
          onPressEnter={() => void commit(draft)}
          onBlur={() => void commit(draft)}
          onKeyDown={keys}
        />
      );
    default:
      return <Input {...common} value={String(draft ?? '')} onChange={(e) => setDraft(e.target.value)} onPressEnter={() => void commit(draft)} onBlur={() => void commit(draft)} onKeyDown={keys} />;
  }
}
