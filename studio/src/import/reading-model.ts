// How the file writes dates and numbers (the mapping's dateOrder, decimalSeparator and timeZone): what the
// sample rows suggest, for the user to confirm, and a preview cell read by the very code the server
// reads it with (engine/fields/parse-text.ts), so the preview shows what the dry run will find.

import { parseDate, parseDatetime, parseDecimal, parseInteger, type DateOrder, type DecimalSeparator, type ParsedText, type ParseTextOptions } from '../../../engine/fields/parse-text.ts';
import type { EntityDef, FieldDef } from '../api/meta.ts';

export type { DateOrder, DecimalSeparator };

/** The mapping's reading options the wizard edits (absent: the engine's default). */
export interface Reading {
  dateOrder?: DateOrder;
  decimalSeparator?: DecimalSeparator;
  /** IANA zone a datetime without an offset is read in (absent: such a datetime is refused). */
  timeZone?: string;
}

/** What the sample says: an option it points to, or that it points both ways (the user decides). */
export interface ReadingSuggestion {
  dateOrder?: 'DMY' | 'MDY';
  decimalSeparator?: ',';
  /** Dates of the sample need an order and none can be told from them (03/04/2025 only), or they disagree. */
  dateOrderUnclear?: boolean;
  /** Numbers of the sample read only with a comma and others only with a point. */
  decimalUnclear?: boolean;
}

const dateTypes = new Set(['date', 'datetime']);
const numberTypes = new Set(['integer', 'number', 'currency', 'percent']);
const partsFirst = /^\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}(\s|T|$)/;

/** Texts of the sample rows in columns that feed a field of one of `types`. */
function samples(entity: EntityDef, fieldOf: Record<string, string>, rows: Record<string, unknown>[], types: Set<string>): string[] {
  const columns = Object.entries(fieldOf).filter(([, field]) => field && types.has(entity.fields[field]?.type ?? '')).map(([column]) => column);
  return rows.flatMap((row) => columns.map((c) => row[c]).filter((v): v is string => typeof v === 'string' && v.trim() !== ''));
}

/**
 * From the sample: a date whose first part is above 12 can only be day first, one whose second is,
 * month first; a number that reads only with a decimal comma points to it. Nothing is decided
 * here: the wizard shows the suggestion and the user takes it or not.
 */
export function suggestReading(entity: EntityDef, fieldOf: Record<string, string>, rows: Record<string, unknown>[]): ReadingSuggestion {
  const out: ReadingSuggestion = {};
  let dayFirst = false;
  let monthFirst = false;
  let needsOrder = false;
  for (const text of samples(entity, fieldOf, rows, dateTypes)) {
    const match = partsFirst.exec(text);
    if (!match) continue;
    needsOrder = true;
    if (Number(match[1]) > 12) dayFirst = true;
    if (Number(match[2]) > 12) monthFirst = true;
  }
  if (dayFirst !== monthFirst) out.dateOrder = dayFirst ? 'DMY' : 'MDY';
  else if (needsOrder) out.dateOrderUnclear = true;
  let comma = false;
  let point = false;
  for (const text of samples(entity, fieldOf, rows, numberTypes)) {
    const number = text.replace(/\s*%$/u, '');
    const withComma = parseDecimal(number, undefined, { decimalSeparator: ',' }).ok;
    const withPoint = parseDecimal(number).ok;
    if (withComma && !withPoint) comma = true;
    if (withPoint && !withComma) point = true;
  }
  if (comma && !point) out.decimalSeparator = ',';
  else if (comma && point) out.decimalUnclear = true;
  return out;
}

/** A field's text read as the server's field type reads it; undefined for a type read otherwise. */
export function readText(field: FieldDef, text: string, options: ParseTextOptions): ParsedText | undefined {
  switch (field.type) {
    case 'date':
      return parseDate(text, options);
    case 'datetime':
      return parseDatetime(text, options);
    case 'integer':
      return parseInteger(text, options);
    case 'number':
      return parseDecimal(text, typeof field['scale'] === 'number' ? field['scale'] : undefined, options);
    case 'currency':
      return parseDecimal(text, 2, options);
    case 'percent':
      return parseDecimal(text.trim().replace(/\s*%$/u, ''), undefined, options);
    default:
      return undefined;
  }
}
