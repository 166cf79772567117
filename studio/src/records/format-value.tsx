// How a field's value reads in lists, cards and read-only form fields: picklists as coloured tags,
// dates and numbers as i18n/format.ts writes them (a number with its field's scale, money with its
// currency's sign — the field's, else the organisation's: amount-currency.ts —, a percentage with
// its sign as dashboards write them), booleans as yes/no.

import { Tag } from 'antd';
import i18next from 'i18next';
import { findRollupSource, type FieldDef } from '../api/meta.ts';
import { amountCurrency } from './amount-currency.ts';
import { consentText } from './consent.ts';
import { formatCurrency, formatDate, formatDateTime, formatNumber, formatPercent } from '../i18n/format.ts';
import { localize, type Language } from '../i18n/i18n.ts';

export function optionLabel(field: FieldDef | undefined, value: unknown, language: Language): string {
  const option = field?.options?.[String(value)];
  return option ? localize(option.label, language, String(value)) : String(value);
}

/** Plain text of a value (CSV, search, titles). */
export function valueText(field: FieldDef | undefined, value: unknown, language: Language): string {
  if (value === undefined || value === null || value === '') return '';
  let type = field?.type === 'formula' || field?.type === 'rollup' ? String(field.returns ?? 'number') : field?.type;
  // The field whose currency an amount is in (a rollup's: the field it sums).
  let moneyField = field;
  // A rollup names no type of its own: the max or min of a date-time (or date) field arrives as an
  // ISO string, shown as such ("2026-07-09T07:54:00.000Z") unless read as the date it is; a sum or
  // an average reads as the field it aggregates (a currency with its unit), any other number as one.
  if (field?.type === 'rollup' && field.returns === undefined && typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) type = 'datetime';
    else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) type = 'date';
  } else if (field?.type === 'rollup' && field.returns === undefined && typeof value === 'number') {
    const source = field['op'] === 'count' ? undefined : findRollupSource(field);
    const sourceType = source?.type === 'formula' ? source.returns : source?.type;
    type = sourceType === 'currency' ? 'currency' : 'rollupNumber';
    moneyField = source;
  }
  switch (type) {
    case 'picklist':
      return optionLabel(field, value, language);
    case 'multipicklist':
      return Array.isArray(value) ? value.map((v) => optionLabel(field, v, language)).join(', ') : String(value);
    case 'date':
      return formatDate(String(value), language);
    case 'datetime':
      return formatDateTime(String(value), language);
    case 'boolean':
      return value ? '✓' : '✗';
    case 'currency': {
      const amount = typeof value === 'object' && value !== null && 'amount' in value ? (value as { amount: number }).amount : Number(value);
      const unit = typeof value === 'object' && value !== null && 'currency' in value ? String((value as { currency: string }).currency) : String(amountCurrency(moneyField) ?? '');
      // As dashboards write money ("CN¥1,234.50", "¥1,234.50"): one way to read an amount everywhere.
      return Number.isFinite(amount) ? formatCurrency(amount, language, unit || undefined) : String(value);
    }
    case 'number':
    case 'integer':
      // The field's declared scale, kept: 1234.5 in a field of scale 2 reads "1,234.50".
      return typeof value === 'number' ? formatNumber(value, language, field?.scale !== undefined ? { scale: field.scale } : {}) : String(value);
    case 'rollupNumber':
      // An average can run to many decimals: three, as before.
      return formatNumber(value as number, language, { max: 3 });
    case 'percent':
      return typeof value === 'number' ? formatPercent(value, language) : String(value);
    case 'file':
      return (Array.isArray(value) ? value : [value]).map((f) => (typeof f === 'object' && f !== null ? String((f as { name?: unknown }).name ?? '') : String(f))).join(', ');
    case 'multiLookup':
      // Plain text has no titles to hand (they are fetched): the number of links reads better than their ids.
      return Array.isArray(value) ? i18next.t('linkCount', { lng: language, count: value.length }) : String(value);
    case 'consent':
      return consentText(value, language);
    case 'address':
      return typeof value === 'object' ? Object.values(value as Record<string, unknown>).filter(Boolean).join(', ') : String(value);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/**
 * A picklist value as antd's outlined tag draws it (same element and classes, from antd's
 * stylesheet) without the Tag component: a 50-row list shows one per picklist cell, and the
 * component's hooks (colour, semantic styles, closable, wave) were a good part of each row's render.
 */
function OptionTag({ color, children }: { color: string | undefined; children: string }) {
  return (
    <span className="ant-tag ant-tag-outlined" style={color ? { color: '#1f1f1f', borderColor: color, background: `${color}22` } : undefined}>
      {children}
    </span>
  );
}

export function ValueView({ field, value, language }: { field: FieldDef | undefined; value: unknown; language: Language }) {
  if (value === undefined || value === null || value === '') return null;
  if (field?.type === 'picklist') return <OptionTag color={field.options?.[String(value)]?.color}>{optionLabel(field, value, language)}</OptionTag>;
  if (field?.type === 'multipicklist' && Array.isArray(value)) {
    return (
      <>
        {value.map((v) => (
          <Tag key={String(v)}>{optionLabel(field, v, language)}</Tag>
        ))}
      </>
    );
  }
  return <>{valueText(field, value, language)}</>;
}
