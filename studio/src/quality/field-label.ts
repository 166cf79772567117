// A field's label in the UI language (its name when metadata gives none; '' is the record as a whole).

import type { TFunction } from 'i18next';
import type { EntityDef, FieldDef } from '../api/meta.ts';
import { valueText } from '../records/format-value.tsx';
import { localize, type Language } from '../i18n/i18n.ts';

export function fieldLabel(definition: EntityDef | undefined, field: string, language: Language, t: TFunction): string {
  if (field === '') return t('dataQuality.wholeRecord');
  return localize(definition?.fields[field]?.label, language, field);
}

// Values that are no single text read as lists and records show them (options by label, an
// address by its parts, files by name); the rest as stored, so that the decimals a lowered scale
// refuses still show.
const readAsInLists = new Set(['picklist', 'multipicklist', 'address', 'file', 'multiLookup']);

/** A stored value as short text (other objects as JSON, long text cut). */
export function shownValue(value: unknown, empty: string, field?: { definition: FieldDef | undefined; language: Language }): string {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return empty;
  const readable = field?.definition && readAsInLists.has(field.definition.type) ? valueText(field.definition, value, field.language) : undefined;
  const text = readable || (typeof value === 'string' ? value : JSON.stringify(value));
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
