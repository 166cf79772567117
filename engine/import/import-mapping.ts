// An import mapping: how the columns of a source file become records of one or more entities.
// Saved as a document (`_importMappings`) or shipped by a template (industry-templates/<t>/imports/);
// checked against the current model before any row is read, every issue with its JSON pointer.

import type { CompiledEntity, CompiledField, CompiledModel } from '../compile/compiled-model.ts';
import { compileExpression, type CompiledExpression } from '../expressions/compile-expression.ts';
import { dateOrders, decimalSeparators, type DateOrder, type DecimalSeparator, type ParsedText, type ParseTextOptions } from '../fields/parse-text.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import { CrmError, pointer, type IssueDetail } from '../kernel/errors.ts';
import { findForbiddenKeys } from '../kernel/forbidden-keys.ts';
import { localize } from '../kernel/i18n.ts';

/** History-mode columns: the old system's dates and owner. */
export interface HistoryColumns {
  /** Column holding when the record was created in the old system (its first state is entered then). */
  createdAt?: string;
  /** Column holding when it reached its current (final) state: closed, resolved. */
  closedAt?: string;
  /** Column holding the owner: a user id or the e-mail of a user. */
  owner?: string;
}

export interface ImportTarget {
  entity: string;
  /**
   * Fields identifying an existing record to update (an external id, a unique field or a business
   * key). Re-runs create nothing twice. `["id"]` with `columns.id` (an export's id column): a row
   * with an id updates that record (an id no record has is refused), a row without one is created.
   */
  key?: string[];
  /** field → source column; `id` → the column of record ids (only with `id` in the key). */
  columns?: Record<string, string>;
  /** field → JSONata over the row (columns by name, `$row` the line number); wins over `columns`. */
  transforms?: Record<string, string>;
  /** field → { source text → stored value } (picklist value maps); applied before parsing. */
  values?: Record<string, Record<string, string>>;
  /** field → value used when the source gives none (required fields the source lacks). */
  defaults?: Record<string, unknown>;
  /** lookup field → the target field whose (cleansed) value the column holds: account by name. */
  lookups?: Record<string, { by: string }>;
  /** Only rows for which this JSONata is true make a record of this target. */
  when?: string;
  history?: HistoryColumns;
  /**
   * What an empty cell in a mapped column does to a record the row updates: `keep` (the default)
   * leaves the field as it is; `clear` empties it — a spreadsheet exported, edited and imported again
   * then clears what the user deleted. Never a key field's; a create leaves an empty cell's field
   * out (its defaults apply) either way.
   */
  blankCells?: 'keep' | 'clear';
}

export interface ImportMapping {
  name: string;
  label?: { en?: string; zh?: string } | string;
  format?: 'csv' | 'jsonl' | 'xlsx';
  delimiter?: string;
  sheet?: string;
  /** The line (a workbook's row) holding the column names, where titles above it look like a header; absent: found below any title lines. */
  headerRow?: number;
  /** IANA time zone for datetimes without an offset (otherwise refused). */
  timeZone?: string;
  /** How dates not written year first are read: DMY (31/12/2025) or MDY (12/31/2025); otherwise refused as ambiguous. */
  dateOrder?: DateOrder;
  /** The file's decimal separator: '.' (1,234.56, the default) or ',' (1.234,56 or 1 234,56). */
  decimalSeparator?: DecimalSeparator;
  targets: ImportTarget[];
}

export interface CompiledTarget {
  target: ImportTarget;
  entity: CompiledEntity;
  index: number;
  transforms: Map<string, CompiledExpression>;
  when?: CompiledExpression;
}

const namePattern = /^[a-z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$/;
const targetKeys = new Set(['entity', 'key', 'columns', 'transforms', 'values', 'defaults', 'lookups', 'when', 'history', 'blankCells']);
const mappingKeys = new Set(['name', 'label', 'format', 'delimiter', 'sheet', 'headerRow', 'timeZone', 'dateOrder', 'decimalSeparator', 'targets', 'kind', 'description']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((s) => typeof s === 'string' && s.length <= 10_000);

/** Every issue of a mapping against the model (never throws). */
export function checkMapping(input: unknown, model: CompiledModel): IssueDetail[] {
  if (!isObject(input)) return [{ path: '', message: 'must be a JSON object' }];
  const issues: IssueDetail[] = [...findForbiddenKeys(input)];
  for (const key of Object.keys(input)) if (!mappingKeys.has(key)) issues.push({ path: pointer(key), message: 'is not a known property' });
  if (typeof input['name'] !== 'string' || !namePattern.test(input['name']) || input['name'].length > 80) issues.push({ path: '/name', message: 'must be a name like "maven-pipeline"' });
  if (input['format'] !== undefined && !['csv', 'jsonl', 'xlsx'].includes(String(input['format']))) issues.push({ path: '/format', message: 'must be csv, jsonl or xlsx' });
  if (input['delimiter'] !== undefined && (typeof input['delimiter'] !== 'string' || input['delimiter'].length !== 1)) issues.push({ path: '/delimiter', message: 'must be one character' });
  if (input['headerRow'] !== undefined && !validHeaderRow(input['headerRow'])) issues.push({ path: '/headerRow', ...headerRowIssue });
  if (input['timeZone'] !== undefined && !validZone(input['timeZone'])) issues.push({ path: '/timeZone', message: 'is not an IANA time zone' });
  if (input['dateOrder'] !== undefined && !dateOrders.includes(input['dateOrder'] as DateOrder)) issues.push({ path: '/dateOrder', message: `must be one of ${dateOrders.join(', ')}` });
  if (input['decimalSeparator'] !== undefined && !decimalSeparators.includes(input['decimalSeparator'] as DecimalSeparator)) issues.push({ path: '/decimalSeparator', message: 'must be "." or ","' });
  // A comma both splitting columns and marking decimals would cut 1,5 into two cells.
  if (input['decimalSeparator'] === ',' && input['delimiter'] === ',') issues.push({ path: '/delimiter', message: 'must not be the decimal separator (unquoted, 1,5 would be two cells)' });
  const targets = input['targets'];
  if (!Array.isArray(targets) || targets.length === 0 || targets.length > 10) return [...issues, { path: '/targets', message: 'must list 1 to 10 targets' }];
  // The mapping's own reading options, where valid: a default written as text is read with them.
  const options = parseOptionsOf({
    ...(validZone(input['timeZone']) ? { timeZone: input['timeZone'] as string } : {}),
    ...(dateOrders.includes(input['dateOrder'] as DateOrder) ? { dateOrder: input['dateOrder'] as DateOrder } : {}),
    ...(decimalSeparators.includes(input['decimalSeparator'] as DecimalSeparator) ? { decimalSeparator: input['decimalSeparator'] as DecimalSeparator } : {}),
  } as ImportMapping);
  targets.forEach((target, i) => issues.push(...checkTarget(target, model, pointer('targets', i), options)));
  return issues;
}

/** How far down a header may be chosen: the rows above it are held in memory until it is read. */
export const maxHeaderRow = 1000;

export function validHeaderRow(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= maxHeaderRow;
}

export const headerRowIssue = {
  message: `must be a line number from 1 to ${maxHeaderRow}`,
  text: { en: `must be a line number from 1 to ${maxHeaderRow}`, zh: `必须是 1 到 ${maxHeaderRow} 之间的行号` },
};

/** What the mapping says about reading texts: the same object for every row of a job (built once). */
export function parseOptionsOf(mapping: ImportMapping): ParseTextOptions {
  return {
    ...(mapping.timeZone ? { timeZone: mapping.timeZone } : {}),
    ...(mapping.dateOrder ? { dateOrder: mapping.dateOrder } : {}),
    ...(mapping.decimalSeparator ? { decimalSeparator: mapping.decimalSeparator } : {}),
  };
}

function validZone(zone: unknown): boolean {
  if (typeof zone !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A default written as text, read as a cell of its field is (the wizard's defaults are typed:
 * "2024/1/1", "2024-03-01 10:00" in the mapping's zone). Passed on raw, a default the field's
 * validator refused was reported on every row — a million rows rejected for one typo — naming no column.
 */
function readDefault(field: CompiledField, value: unknown, options: ParseTextOptions): ParsedText {
  if (typeof value !== 'string' || !field.type.parseText) return { ok: true, value };
  return field.type.parseText(value.trim(), field.definition as never, options);
}

function checkTarget(target: unknown, model: CompiledModel, at: string, options: ParseTextOptions): IssueDetail[] {
  if (!isObject(target)) return [{ path: at, message: 'must be a JSON object' }];
  const issues: IssueDetail[] = [];
  for (const key of Object.keys(target)) if (!targetKeys.has(key)) issues.push({ path: `${at}/${key}`, message: 'is not a known property' });
  const entity = typeof target['entity'] === 'string' ? model.entities.get(target['entity']) : undefined;
  if (!entity) return [...issues, { path: `${at}/entity`, message: `"${String(target['entity'])}" is not an entity` }];
  const valueField = (field: string, path: string) => {
    const f = entity.fields.get(field);
    if (!f) issues.push({ path, message: `"${field}" is not a field of ${entity.name}` });
    else if (f.type.compute !== 'none') issues.push({ path, message: `"${field}" is computed and cannot be imported` });
    return f;
  };
  for (const part of ['columns', 'transforms', 'defaults', 'values', 'lookups'] as const) {
    const value = target[part];
    if (value === undefined) continue;
    if (!isObject(value) || (part !== 'defaults' && part !== 'values' && part !== 'lookups' && !isStringMap(value))) {
      issues.push({ path: `${at}/${part}`, message: part === 'defaults' ? 'must be an object of field → value' : 'must be an object of field → text' });
      continue;
    }
    for (const [field, spec] of Object.entries(value)) {
      const path = `${at}/${part}/${field}`;
      // The column of record ids (an export's first) identifies the records to update: only as the key.
      if (field === 'id' && part === 'columns') {
        if (!(Array.isArray(target['key']) && target['key'].includes('id'))) issues.push({ path, message: 'the id column only identifies records to update: add "id" to the key' });
        continue;
      }
      const f = valueField(field, path);
      if (part === 'transforms') {
        const { issues: exprIssues } = compileExpression(spec as string, path);
        issues.push(...exprIssues);
      } else if (part === 'values' && !isStringMap(spec)) issues.push({ path, message: 'must map source texts to values' });
      else if (part === 'defaults' && f && f.type.compute === 'none') {
        const read = readDefault(f, spec, options);
        if (!read.ok) {
          const text = { en: `Default for ${localize(f.definition.label, 'en') || field}: ${localize(read.reason, 'en')}`, zh: `${localize(f.definition.label, 'zh') || field}的默认值：${localize(read.reason, 'zh')}` };
          issues.push({ path, message: text.en, text });
        }
      }
      else if (part === 'lookups') {
        const by = isObject(spec) ? spec['by'] : undefined;
        const to = (f?.definition as { to?: string } | undefined)?.to;
        if (f && f.definition.type !== 'lookup') issues.push({ path, message: `"${field}" is not a lookup` });
        else if (typeof by !== 'string' || (to && !model.entities.get(to)?.fields.has(by) && by !== 'id')) issues.push({ path: `${path}/by`, message: `must name a field of ${to ?? 'the target'}` });
      }
    }
  }
  if (target['key'] !== undefined) {
    const key = target['key'];
    if (!Array.isArray(key) || key.length === 0 || key.length > 5 || !key.every((k) => typeof k === 'string')) issues.push({ path: `${at}/key`, message: 'must list 1 to 5 fields' });
    else {
      key.forEach((k: string, i) => (entity.fields.has(k) || k === 'id' ? undefined : issues.push({ path: `${at}/key/${i}`, message: `"${k}" is not a field of ${entity.name}` })));
      // A key no column, transform or default fills is empty on every row: each row would create a
      // record, and every re-run create them all again.
      const filled = (part: unknown, k: string) => isObject(part) && k in part;
      key.forEach((k: string, i) => {
        if (!entity.fields.has(k) && k !== 'id') return;
        if (filled(target['columns'], k) || filled(target['transforms'], k) || filled(target['defaults'], k)) return;
        const en = `"${k}" is not filled by this target (no column, transform or default): every row would create a new record`;
        issues.push({ path: `${at}/key/${i}`, message: en, text: { en, zh: `「${k}」未由此目标填充（没有列、转换或默认值）：每一行都会新建记录` } });
      });
    }
  }
  if (target['when'] !== undefined) issues.push(...(typeof target['when'] === 'string' ? compileExpression(target['when'], `${at}/when`).issues : [{ path: `${at}/when`, message: 'must be an expression' }]));
  if (target['blankCells'] !== undefined && target['blankCells'] !== 'keep' && target['blankCells'] !== 'clear') issues.push({ path: `${at}/blankCells`, message: 'must be "keep" or "clear"' });
  const history = target['history'];
  if (history !== undefined && (!isStringMap(history) || Object.keys(history).some((k) => !['createdAt', 'closedAt', 'owner'].includes(k)))) {
    issues.push({ path: `${at}/history`, message: 'may name the columns createdAt, closedAt and owner' });
  }
  for (const name of systemFieldNames) if (name !== 'id' && isObject(target['columns']) && name in target['columns']) issues.push({ path: `${at}/columns/${name}`, message: 'is a system field: map it under history (admins)' });
  return issues;
}

export function getValidMappingOrThrow(input: unknown, model: CompiledModel): ImportMapping {
  const issues = checkMapping(input, model);
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', { en: 'The import mapping is not valid', zh: '导入映射无效' }, issues);
  return input as ImportMapping;
}

/** Pure: the mapping's expressions compiled against the model (the mapping was checked). */
export function compileMapping(mapping: ImportMapping, model: CompiledModel): CompiledTarget[] {
  const options = parseOptionsOf(mapping);
  return mapping.targets.map((written, index) => {
    const entity = model.entities.get(written.entity)!;
    // Defaults written as text, read once as their fields' values (checkMapping refused the unreadable).
    const defaults = written.defaults && Object.fromEntries(Object.entries(written.defaults).map(([field, value]) => {
      const read = entity.fields.get(field) && readDefault(entity.fields.get(field)!, value, options);
      return [field, read && read.ok ? read.value : value];
    }));
    const target = defaults ? { ...written, defaults } : written;
    const transforms = new Map<string, CompiledExpression>();
    for (const [field, source] of Object.entries(target.transforms ?? {})) transforms.set(field, compileExpression(source, `/targets/${index}/transforms/${field}`).expression!);
    const when = target.when ? compileExpression(target.when, `/targets/${index}/when`).expression : undefined;
    return { target, entity, index, transforms, ...(when ? { when } : {}) };
  });
}

/** A target whose row mapping is a pure function of the row: no `when`, lookup or transform (map-row.ts maps it without waiting). */
export function plainTarget(target: CompiledTarget): boolean {
  return !target.when && !target.target.lookups && target.transforms.size === 0;
}
