// Suggests how a file's columns become records of an entity: which column feeds which field, by field
// name or label (en, zh), compared loosely — case, spaces, underscores and dashes ignored ("Account
// Name", "account_name", "名称"). A file with an id column (what an export starts with) updates the
// records it names: `id` is then the upsert key, and its datetimes are read at the organisation's
// wall clock (what an export writes). Lookups are read by the target's title (what it shows). Columns that
// are not imported are said, with why: system columns (Created at, Owner, Version…), computed fields,
// fields a workflow moves, and fields whose readable text names no single value (people by name,
// files, several linked records, addresses).

import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import { systemColumnLabels } from './export-columns.ts';
import type { ImportTarget } from './import-mapping.ts';
import { partsReason, readsBackFromText } from './text-values.ts';

const loose = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s_\-./]+/g, '');

export interface SuggestedMapping {
  /** field → column (fields only; the id column is in the target's columns, with `id` as its key). */
  suggested: Record<string, string>;
  /** The target the suggestion makes: columns, the upsert key, lookups by title. */
  target: ImportTarget;
  /** The organisation's zone when a file with an id column (an export) has a datetime column: exports write its wall-clock time. */
  timeZone?: string;
  /** column → why it is not imported. */
  unmapped: Record<string, LocalizedText>;
}

const reasons = {
  system: { en: 'a system column: the CRM keeps it, an import does not set it', zh: '系统列：由 CRM 维护，导入不会设置' },
  computed: { en: 'computed by the CRM: not imported', zh: '由 CRM 计算：不导入' },
  // Not "never by an import": a history import brings the old system's states, and a migrating
  // admin told otherwise left the column out and lost them.
  driven: { en: 'moved by its workflow\u2019s transitions: map it by hand only for a history import (next step), which keeps the old system\u2019s states', zh: '由工作流流转改变：仅在历史导入（下一步）时手动映射，以保留旧系统的状态' },
  notReadBack: { en: 'shown as names or titles that do not identify one value: not read back (map it by hand to ids to change it)', zh: '显示的名称或标题无法确定唯一值：不读回（如需修改，请手动映射为 ID）' },
  path: { en: 'a field of a linked record: not imported', zh: '关联记录的字段：不导入' },
  unknown: { en: 'no field of this name or label', zh: '没有此名称或标签的字段' },
  readOnly: { en: 'a field you may read but not change: not imported', zh: '您可以查看但不能修改的字段：不导入' },
} satisfies Record<string, LocalizedText>;

const labelsOf = (label: unknown): string[] => (typeof label === 'string' ? [label] : label && typeof label === 'object' ? Object.values(label as Record<string, string>) : []);

/** Whether what the file's column holds for a field can be read back as its value. */
function readsBack(model: CompiledModel, entity: CompiledEntity, field: string, column: string, held: ColumnValues): boolean {
  const compiled = entity.fields.get(field)!;
  const definition = compiled.definition;
  // Values themselves, as an export's JSON Lines holds them: objects and lists, record ids.
  if (held.structured?.has(column) || held.idValued?.has(column)) return true;
  if (definition.type === 'lookup') return model.entities.get(definition.to)?.definition.titleField !== undefined;
  return readsBackFromText(compiled);
}

/** What the sampled values of a file's columns are, beyond text. */
export interface ColumnValues {
  /** Columns whose values are all JSON objects or lists (a JSON Lines file's addresses, files, links). */
  structured?: ReadonlySet<string>;
  /** Columns whose values are all record ids: a lookup or person fed by one takes them as they are, not as titles or names. */
  idValued?: ReadonlySet<string>;
}

/**
 * `access` given (a caller's), fields they may not read are left out as if the entity had none of
 * that name (a suggestion must not tell them such a field exists), and fields they may read but not
 * change are said to be so, rather than suggested for every row to be refused.
 */
export function suggestMapping(args: {
  columns: readonly string[];
  entity: CompiledEntity;
  model: CompiledModel;
  timeZone?: string;
  access?: { readable: ReadonlySet<string>; editable: ReadonlySet<string> };
  held?: ColumnValues;
}): SuggestedMapping {
  const { columns, entity, model, access } = args;
  const held = args.held ?? {};
  const suggested: Record<string, string> = {};
  const unmapped: Record<string, LocalizedText> = {};
  const taken = new Set<string>();
  const idColumn = columns.find((c) => loose(c) === 'id');
  if (idColumn) taken.add(idColumn);
  for (const [name, label] of Object.entries(systemColumnLabels)) {
    if (name === 'id') continue;
    const names = [name, ...labelsOf(label)].map(loose);
    for (const column of columns) if (!taken.has(column) && names.includes(loose(column))) unmapped[column] = reasons.system;
  }
  const lookups: Record<string, { by: string }> = {};
  let datetime = false;
  // An address column is left out either way; another system's (one address line) may be built into
  // its parts by a transform, said so — an export's is its parts joined, which no transform splits back.
  const entityLabels = labelsOf(entity.definition.label);
  const matched = new Map<string, string>();
  // Own names first; then, for the columns still free, the entity's label before a field's label
  // (an ERP's 客户名称, "Customer Name"): a field labelled with the whole column keeps it.
  for (const prefixed of [false, true]) {
    for (const field of entity.fields.values()) {
      if (matched.has(field.name) || (access && !access.readable.has(field.name))) continue;
      const labels = labelsOf((field.definition as { label?: unknown }).label);
      // An export adds the key to a label two columns share: "Name (name)".
      const names = (prefixed ? entityLabels.flatMap((e) => labels.map((l) => `${e}${l}`)) : [field.name, ...labels, ...labels.map((l) => `${l} (${field.name})`)]).map(loose);
      const column = columns.find((c) => ![...matched.values()].includes(c) && !taken.has(c) && unmapped[c] === undefined && names.includes(loose(c)));
      if (column) matched.set(field.name, column);
    }
  }
  for (const field of entity.fields.values()) {
    const column = matched.get(field.name);
    if (!column) continue;
    const why = field.type.compute !== 'none' ? reasons.computed : entity.drivenFields.has(field.name) ? reasons.driven : access && !access.editable.has(field.name) ? reasons.readOnly : readsBack(model, entity, field.name, column, held) ? undefined : ((!idColumn && partsReason(field, column)) || reasons.notReadBack);
    taken.add(column);
    if (why) {
      unmapped[column] = why;
      continue;
    }
    suggested[field.name] = column;
    const definition = field.definition;
    if (definition.type === 'lookup' && !held.idValued?.has(column)) {
      const by = model.entities.get(definition.to)?.definition.titleField;
      if (by !== undefined) lookups[field.name] = { by };
    }
    if (definition.type === 'datetime') datetime = true;
  }
  for (const column of columns) if (!taken.has(column) && unmapped[column] === undefined) unmapped[column] = column.includes(' › ') ? reasons.path : reasons.unknown;
  const target: ImportTarget = {
    entity: entity.name,
    ...(idColumn ? { key: ['id'] } : {}),
    columns: { ...(idColumn ? { id: idColumn } : {}), ...suggested },
    ...(Object.keys(lookups).length > 0 ? { lookups } : {}),
  };
  // A file with an id column came from an export, which writes instants at the organisation's wall
  // clock: read them in that zone. Any other file's zone is the user's to choose (none is guessed).
  return { suggested, target, unmapped, ...(idColumn && datetime && args.timeZone ? { timeZone: args.timeZone } : {}) };
}
