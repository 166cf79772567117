// The wizard's mapping as the user edits it (which column feeds which field, picklist value maps,
// defaults, the upsert key, how dates and numbers are written, a workbook's sheet) and the import mapping it becomes.
// Pure functions: the preview applies the same value maps and option matching the server does, and
// reads dates and numbers with the server's own code (engine/fields/parse-text.ts), so what the
// preview shows is what the dry run will find.

import type { EntityDef, FieldDef, PicklistOption } from '../api/meta.ts';
import type { HistoryColumns, ImportMapping, ImportTarget, Suggestion } from '../api/imports.ts';
import { localize, type Language } from '../i18n/language.ts';
import { readText, type Reading } from './reading-model.ts';

export interface Draft {
  entity: string;
  /** source column → field ('' or absent: not imported) */
  fieldOf: Record<string, string>;
  /** field → { source text → option } (only what the user chose; matching values need none) */
  values: Record<string, Record<string, string>>;
  /** field → value when the source gives none */
  defaults: Record<string, unknown>;
  key: string[];
  /** lookup field → the field of the looked-up entity its column holds */
  lookups: Record<string, { by: string }>;
  /** field → JSONata over the row (columns by name, `$row` the line): wins over the field's column */
  transforms: Record<string, string>;
  /** History mode's columns: the old system's creation and closing dates and owner */
  history: HistoryColumns;
  /** How the file writes dates and numbers (the mapping's dateOrder, decimalSeparator and timeZone). */
  reading: Reading;
  /** A workbook's sheet the rows are read from (the mapping's `sheet`); absent for other files. */
  sheet?: string;
  /** The line (a workbook's row) holding the column names, when chosen (the mapping's `headerRow`). */
  headerRow?: number;
  /** Empty cells clear the fields of the records rows update (the target's `blankCells: clear`). */
  clearBlanks?: boolean;
  /** A loaded mapping: what the wizard does not edit (transforms, other targets, format) is kept. */
  base?: ImportMapping;
  /** Which of `base`'s targets this draft edits (absent: the first of its entity; a draft without a base is the only target). */
  at?: number;
}

const computedTypes = new Set(['autonumber', 'formula', 'rollup']);

/** Fields a column may feed: every stored field (computed ones are the engine's). */
export function importableFields(entity: EntityDef): [string, FieldDef][] {
  return Object.entries(entity.fields).filter(([, f]) => !computedTypes.has(f.type));
}

/** A field whose values are options (a source text is mapped to one). */
export function isPicklist(field: FieldDef | undefined): boolean {
  return field?.type === 'picklist' || field?.type === 'multipicklist';
}

function lookupBy(field: FieldDef, entities: ReadonlyMap<string, EntityDef>): { by: string } | undefined {
  if (field.type !== 'lookup' || typeof field.to !== 'string') return undefined;
  return { by: entities.get(field.to)?.titleField ?? 'id' };
}

/** The column of record ids (`id`): it names the record a row updates (the upsert key), it sets no value. */
export const idField = 'id';

/**
 * The server's suggestion as a draft: its columns, its upsert key (`id` when the file has an id
 * column: an export updates the records it came from), lookups by title, the organisation's zone.
 */
export function draftFromSuggestion(entity: EntityDef, suggestion: Suggestion, entities: ReadonlyMap<string, EntityDef>): Draft {
  const fieldOf: Record<string, string> = {};
  const suggestedTarget = suggestion.mapping?.targets.find((t) => t.entity === entity.name);
  const lookups: Draft['lookups'] = { ...(suggestedTarget?.lookups ?? {}) };
  for (const [field, column] of Object.entries(suggestedTarget?.columns ?? suggestion.suggested)) {
    fieldOf[column] = field;
    const by = entity.fields[field] && lookupBy(entity.fields[field], entities);
    if (by && !lookups[field]) lookups[field] = by;
  }
  const timeZone = suggestion.mapping?.timeZone;
  return { entity: entity.name, fieldOf, values: {}, defaults: {}, key: [...(suggestedTarget?.key ?? [])], lookups, transforms: {}, history: {}, reading: timeZone ? { timeZone } : {}, ...(suggestion.sheet !== undefined ? { sheet: suggestion.sheet } : {}), ...(suggestion.mapping?.headerRow !== undefined ? { headerRow: suggestion.mapping.headerRow } : {}) };
}

export function draftFromMapping(entity: EntityDef, mapping: ImportMapping, at?: number): Draft {
  const index = at ?? mapping.targets.findIndex((t) => t.entity === entity.name);
  const target = mapping.targets[index] ?? { entity: entity.name };
  const fieldOf: Record<string, string> = {};
  for (const [field, column] of Object.entries(target.columns ?? {})) fieldOf[column] = field;
  return { entity: entity.name, fieldOf, values: structuredClone(target.values ?? {}), defaults: structuredClone(target.defaults ?? {}), key: [...(target.key ?? [])], lookups: structuredClone(target.lookups ?? {}), transforms: { ...(target.transforms ?? {}) }, history: { ...(target.history ?? {}) }, reading: readingOf(mapping), ...(mapping.sheet ? { sheet: mapping.sheet } : {}), ...(mapping.headerRow !== undefined ? { headerRow: mapping.headerRow } : {}), ...(target.blankCells === 'clear' ? { clearBlanks: true } : {}), base: mapping, ...(index >= 0 ? { at: index } : {}) };
}

function readingOf(mapping: Reading): Reading {
  return { ...(mapping.dateOrder ? { dateOrder: mapping.dateOrder } : {}), ...(mapping.decimalSeparator ? { decimalSeparator: mapping.decimalSeparator } : {}), ...(mapping.timeZone ? { timeZone: mapping.timeZone } : {}) };
}

/** Mapped fields → their column. */
export function columnsOf(draft: Draft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [column, field] of Object.entries(draft.fieldOf)) if (field) out[field] = column;
  return out;
}

/** Sets which field a column feeds (a field fed by another column is taken from it). */
export function withColumnField(draft: Draft, column: string, field: string | undefined, entities: ReadonlyMap<string, EntityDef>): Draft {
  const fieldOf = { ...draft.fieldOf };
  for (const [c, f] of Object.entries(fieldOf)) if (field && f === field) delete fieldOf[c];
  if (field) fieldOf[column] = field;
  else delete fieldOf[column];
  const mapped = new Set(Object.values(fieldOf));
  const lookups = Object.fromEntries(Object.entries(draft.lookups).filter(([f]) => mapped.has(f)));
  // A column's transform goes with it: to its new field, or away when the column is no longer imported.
  const previous = draft.fieldOf[column];
  const transforms = { ...draft.transforms };
  if (previous && previous !== field && transforms[previous] !== undefined && !mapped.has(previous)) {
    if (field) transforms[field] = transforms[previous];
    delete transforms[previous];
  }
  const def = field ? entities.get(draft.entity)?.fields[field] : undefined;
  const by = def && lookupBy(def, entities);
  if (field && by && !lookups[field]) lookups[field] = by;
  const key = draft.key.filter((k) => mapped.has(k) || k in draft.defaults);
  // An id column serves only as the key: mapping one makes it the key.
  return { ...draft, fieldOf, lookups, transforms, key: field === idField ? [idField] : key };
}

export function mappingName(entity: string): string {
  return `studio-${entity.replace(/[^a-zA-Z0-9]/g, '')}`;
}

/** Where the edited target is among the targets of the mapping a job runs with (toMapping): its issues are at /mapping/targets/<index>. */
export function editedTargetIndex(draft: Draft): number {
  const at = baseIndex(draft);
  return at >= 0 ? at : 0;
}

/** The edited target's index in the loaded mapping, -1 when it is not there (a new draft: it goes first). */
function baseIndex(draft: Draft): number {
  if (draft.at !== undefined && draft.base?.targets[draft.at]?.entity === draft.entity) return draft.at;
  return draft.base?.targets.findIndex((t) => t.entity === draft.entity) ?? -1;
}

/** The mapping a job runs with (and that is saved): the loaded one with the edited target. */
export function toMapping(draft: Draft, name?: string): ImportMapping {
  const base = draft.base;
  const at = baseIndex(draft);
  const loaded: Partial<ImportTarget> = base?.targets[at] ?? {};
  const values = Object.fromEntries(Object.entries(draft.values).filter(([, map]) => Object.keys(map).length > 0));
  const mapped = new Set(Object.values(draft.fieldOf).filter(Boolean));
  const defaults = Object.fromEntries(Object.entries(draft.defaults).filter(([, v]) => v !== '' && v !== undefined));
  const target: ImportTarget = {
    ...loaded,
    entity: draft.entity,
    columns: columnsOf(draft),
    ...(Object.keys(values).length > 0 ? { values } : { values: undefined }),
    ...(Object.keys(defaults).length > 0 ? { defaults } : { defaults: undefined }),
    ...(draft.key.length > 0 ? { key: draft.key } : { key: undefined }),
    // Only an update has fields to clear: without a key, rows always create.
    blankCells: draft.clearBlanks && draft.key.length > 0 ? 'clear' : undefined,
  };
  const transforms = Object.fromEntries(Object.entries(draft.transforms).map(([f, e]) => [f, e.trim()] as const).filter(([, e]) => e !== ''));
  target.transforms = Object.keys(transforms).length > 0 ? transforms : undefined;
  const history = Object.fromEntries(Object.entries(draft.history).filter(([, c]) => typeof c === 'string' && c !== ''));
  target.history = Object.keys(history).length > 0 ? history : undefined;
  const lookups = Object.fromEntries(Object.entries(draft.lookups).filter(([f]) => mapped.has(f) || transforms[f] !== undefined));
  target.lookups = Object.keys(lookups).length > 0 ? lookups : undefined;
  const clean = Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined)) as unknown as ImportTarget;
  // The edited target stays where the loaded mapping had it, among the others as they were: a row's
  // targets are written in order (a purchase looks up the member its row created first), and a
  // second target of the same entity (another contact of the row) is no copy to drop.
  const targets = base && at >= 0 ? base.targets.map((t, i) => (i === at ? clean : t)) : [clean, ...(base?.targets ?? [])];
  // The reading options, the sheet and the header row are the draft's (a loaded mapping's were taken into it).
  const { targets: _targets, name: _name, dateOrder: _order, decimalSeparator: _separator, timeZone: _zone, sheet: _sheet, headerRow: _headerRow, ...rest } = base ?? { targets: [], name: '' };
  return { ...rest, ...readingOf(draft.reading), ...(draft.sheet ? { sheet: draft.sheet } : {}), ...(draft.headerRow !== undefined ? { headerRow: draft.headerRow } : {}), name: name ?? (base?.name || mappingName(targets[0]!.entity)), targets };
}

const loose = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** The option a text names by key or label in any language (as the server reads it), if any. */
export function matchOption(text: string, options: Record<string, PicklistOption> | undefined): string | undefined {
  if (!options) return undefined;
  if (Object.hasOwn(options, text)) return text;
  const wanted = loose(text);
  for (const [key, option] of Object.entries(options)) {
    const labels = typeof option.label === 'string' ? [option.label] : Object.values(option.label ?? {});
    if (loose(key) === wanted || labels.some((l) => typeof l === 'string' && loose(l) === wanted)) return key;
  }
  return undefined;
}

/** The option a source text becomes: the user's map first (exact, then case-insensitive), then matching. */
export function optionFor(text: string, map: Record<string, string> | undefined, options: Record<string, PicklistOption> | undefined): string | undefined {
  const mapped = map?.[text] ?? Object.entries(map ?? {}).find(([from]) => from.toLowerCase() === text.toLowerCase())?.[1];
  return matchOption(mapped ?? text, options);
}

/** Required fields that no column, transform or default fills. */
export function requiredMissing(entity: EntityDef, draft: Draft): string[] {
  const mapped = new Set(Object.values(draft.fieldOf));
  return importableFields(entity)
    .filter(([name, f]) => f.required && !mapped.has(name) && !draft.transforms[name]?.trim() && draft.defaults[name] === undefined && f.default === undefined)
    .map(([name]) => name);
}

export interface PreviewCell {
  text: string;
  /** The value will be refused: it names no option, or cannot be read (`reason` says why). */
  problem?: 'notAnOption' | 'unreadable';
  reason?: string;
  /** The value comes from a default. */
  fromDefault?: boolean;
  /** The value is the field's transform's (evaluated by the server: the dry run shows what it gives). */
  transform?: boolean;
}

const shown = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v.trim() : JSON.stringify(v));

/** One source row as the mapping turns it into field values (labels of options in the UI language). */
export function previewRow(entity: EntityDef, draft: Draft, row: Record<string, unknown>, language: Language): Record<string, PreviewCell> {
  const out: Record<string, PreviewCell> = {};
  const readingOptions = draft.reading;
  for (const [field, column] of Object.entries(columnsOf(draft))) {
    const def = entity.fields[field];
    if (draft.transforms[field]?.trim()) {
      out[field] = { text: draft.transforms[field].trim(), transform: true };
      continue;
    }
    const raw = shown(row[column]);
    if (raw === '') continue;
    if (def && isPicklist(def)) {
      // As the server does: the value map first (on the whole text), then the option(s) it names.
      const map = draft.values[field];
      const mapped = map?.[raw] ?? Object.entries(map ?? {}).find(([from]) => from.toLowerCase() === raw.toLowerCase())?.[1] ?? raw;
      const parts = def.type === 'multipicklist' ? mapped.split(/[;|，；]/u).map((p) => p.trim()).filter(Boolean) : [mapped];
      const options = parts.map((p) => matchOption(p, def.options));
      if (options.some((o) => o === undefined)) out[field] = { text: raw, problem: 'notAnOption' };
      else out[field] = { text: options.map((o) => localize(def.options?.[o!]?.label, language, o)).join(', ') };
    } else {
      // A typed number (a workbook's number cell, a JSON number) is that number in either convention.
      const read = def && typeof row[column] !== 'number' ? readText(def, raw, readingOptions) : undefined;
      if (!read) out[field] = { text: raw };
      else if (read.ok) out[field] = { text: String(read.value) };
      else out[field] = { text: raw, problem: 'unreadable', reason: localize(read.reason, language, raw) };
    }
  }
  for (const [field, expression] of Object.entries(draft.transforms)) if (!out[field] && expression.trim()) out[field] = { text: expression.trim(), transform: true };
  for (const [field, value] of Object.entries(draft.defaults)) {
    if (out[field]) continue;
    const def = entity.fields[field];
    out[field] = { text: def && isPicklist(def) && typeof value === 'string' ? localize(def.options?.[value]?.label, language, value) : shown(value), fromDefault: true };
  }
  return out;
}
