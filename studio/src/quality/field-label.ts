// A field's label in the UI language (its name when metadata gives none; '' is the record as a whole).

import type { TFunction } from 'i18next';
import type { EntityDef } from '../api/meta.ts';
import { localize, type Language } from '../i18n/i18n.ts';

export function fieldLabel(definition: EntityDef | undefined, field: string, language: Language, t: TFunction): string {
  if (field === '') return t('dataQuality.wholeRecord');
  return localize(definition?.fields[field]?.label, language, field);
}

/** A stored value as short text (objects as JSON, long text cut). */
export function shownValue(value: unknown, empty: string): string {
  if (value === undefined || value === null || value === '') return empty;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
