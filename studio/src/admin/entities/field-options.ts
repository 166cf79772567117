// Every option of every field type, read from the metadata language's own schema
// (schemas/field.schema.json): the designer offers exactly what the engine accepts, and a new
// option there appears here without code.

import fieldSchema from '../../../../schemas/field.schema.json';

export type OptionControl =
  | 'localized'
  | 'expression'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'enum'
  | 'string'
  | 'color'
  | 'entity'
  | 'entities'
  | 'childField'
  | 'options'
  | 'lookupFilter'
  | 'default'
  | 'json';

export interface FieldOption {
  key: string;
  control: OptionControl;
  /** Other options' values this one applies only beside (see `onlyWith`). */
  onlyWith?: Record<string, unknown>;
  enum?: string[];
  description?: string;
  minimum?: number;
  maximum?: number;
}

interface PropertySchema {
  $ref?: string;
  type?: string | string[];
  enum?: string[];
  const?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  items?: PropertySchema;
}

const defs = (fieldSchema as unknown as { $defs: Record<string, { description?: string; properties: Record<string, PropertySchema> }> }).$defs;

/**
 * Options that apply only beside another option's value — the server refuses them otherwise (the
 * field type's checkDefinition), which the schema does not say: offered only then, and dropped when
 * that value changes, so no option the admin cannot see is saved and refused.
 */
const onlyWith: Record<string, Record<string, Record<string, unknown>>> = {
  formula: { currency: { returns: 'currency' } },
  file: { maxItems: { multiple: true } },
};

export const fieldTypes: string[] = (fieldSchema as unknown as { properties: { type: { enum: string[] } } }).properties.type.enum;

function controlFor(key: string, type: string, p: PropertySchema): OptionControl {
  const ref = p.$ref ?? '';
  if (ref.endsWith('/localizedText')) return 'localized';
  if (ref.endsWith('/expression')) return 'expression';
  if (ref.endsWith('/color')) return 'color';
  if (key === 'options') return 'options';
  if (key === 'filter' && ref.endsWith('/filter')) return 'lookupFilter';
  if (key === 'default') return 'default';
  if (ref.endsWith('/identifier')) {
    if (key === 'to' || key === 'from') return 'entity';
    if (type === 'rollup' && (key === 'via' || key === 'field')) return 'childField';
    return 'string';
  }
  if (key === 'to' && p.type === 'array') return 'entities';
  if (p.enum) return 'enum';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'integer') return 'integer';
  if (p.type === 'number') return 'number';
  if (p.type === 'string') return 'string';
  return 'json';
}

/** The options a field type takes, in the schema's order (`type` itself left out). */
export function optionsOf(type: string): FieldOption[] {
  const def = defs[`${type}Field`];
  if (!def) return [];
  return Object.entries(def.properties)
    .filter(([key]) => key !== 'type')
    .map(([key, p]) => ({
      key,
      control: controlFor(key, type, p),
      ...(onlyWith[type]?.[key] ? { onlyWith: onlyWith[type][key] } : {}),
      ...(p.enum ? { enum: p.enum } : {}),
      ...(p.description ? { description: p.description } : {}),
      ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
      ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
    }));
}

export function typeDescription(type: string): string {
  return defs[`${type}Field`]?.description ?? '';
}

/** Whether an option applies to the definition as it stands (its `onlyWith` values are there). */
export function applies(option: FieldOption, definition: Record<string, unknown>): boolean {
  return Object.entries(option.onlyWith ?? {}).every(([key, value]) => definition[key] === value);
}

/** The definition without the options that do not apply to it. */
export function withoutInapplicable<T extends { type: string }>(definition: T): T {
  const dropped = optionsOf(definition.type).filter((o) => o.key in definition && !applies(o, definition));
  if (dropped.length === 0) return definition;
  const next: Record<string, unknown> = { ...definition };
  for (const o of dropped) delete next[o.key];
  return next as T;
}

/** Options kept when the type changes: those the new type also has, and that apply there. */
export function keepOptions(definition: Record<string, unknown>, type: string): Record<string, unknown> {
  const allowed = new Set(optionsOf(type).map((o) => o.key));
  return withoutInapplicable({ type, ...Object.fromEntries(Object.entries(definition).filter(([k]) => allowed.has(k))) });
}
