// Compiles one entity of a metadata set: field schemas, the input validator, formulas in
// dependency order, rules, and the filterable paths.

import type { Ajv2020 } from 'ajv/dist/2020.js';
import { compileExpression, type CompiledExpression } from '../expressions/compile-expression.ts';
import type { JsonSchema } from '../fields/field-type.ts';
import { getFieldType } from '../fields/registry.ts';
import { systemFields } from '../fields/system-fields.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import type { EntityDefinition, FieldDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { CompiledEntity, CompiledField, CompiledRule, IncomingLookup, RollupFeed } from './compiled-model.ts';
import { deriveIndexes } from './derive-indexes.ts';
import { lookupFormulaFeedsInto, throughLookupsOf, throughReadsOf } from '../fields/lookup-reads.ts';

function expressionOrThrow(source: string, path: string): CompiledExpression {
  const { expression, issues } = compileExpression(source, path);
  if (!expression) throw new Error(`metadata passed its checks but ${path} does not compile: ${issues[0]?.message}`);
  return expression;
}

function compileField(name: string, definition: FieldDefinition): CompiledField {
  const type = getFieldType(definition.type);
  const label = definition.label === undefined ? undefined : localize(definition.label, 'en');
  const help = 'help' in definition && definition.help !== undefined ? localize(definition.help, 'en') : undefined;
  const schema: JsonSchema = {
    ...type.valueSchema(definition as never),
    ...(label ? { title: label } : {}),
    ...(help ? { description: help } : {}),
    'x-crm-type': definition.type,
    ...(definition.type === 'lookup' ? { 'x-crm-lookup': definition.to } : {}),
    ...(type.compute !== 'none' ? { readOnly: true } : {}),
  };
  return Object.freeze({
    name,
    definition,
    type,
    schema,
    ...(definition.type === 'formula' ? { formula: expressionOrThrow(definition.expression, `/fields/${name}/expression`) } : {}),
    ...('defaultExpression' in definition && definition.defaultExpression
      ? { defaultExpression: expressionOrThrow(definition.defaultExpression, `/fields/${name}/defaultExpression`) }
      : {}),
  });
}

/** Formulas ordered so that each comes after the formulas it reads. */
function orderFormulas(fields: Map<string, CompiledField>): CompiledField[] {
  const ordered: CompiledField[] = [];
  const placed = new Set<string>();
  const place = (field: CompiledField): void => {
    if (placed.has(field.name)) return;
    placed.add(field.name);
    for (const ref of field.formula?.rootReferences ?? []) {
      const dependency = fields.get(ref);
      if (dependency?.formula) place(dependency);
    }
    ordered.push(field);
  };
  for (const field of fields.values()) if (field.formula) place(field);
  return ordered;
}

export function drivenFieldsOf(entity: EntityDefinition, set: MetadataSet): Set<string> {
  return new Set(
    set
      .list('workflow')
      .filter((w) => w['entity'] === entity.name && typeof w['field'] === 'string')
      .map((w) => w['field'] as string),
  );
}

/** Driven field → the initial state of the workflow driving it: where new records start. */
export function drivenInitialValuesOf(entity: EntityDefinition, set: MetadataSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of set.list('workflow')) {
    if (w['entity'] !== entity.name || typeof w['field'] !== 'string') continue;
    const states = (w['states'] ?? {}) as Record<string, { initial?: boolean }>;
    const initial = Object.keys(states).find((name) => states[name]?.initial === true);
    if (initial !== undefined) out.set(w['field'], initial);
  }
  return out;
}

/** What an entity compiles to from its own definition alone: reused while the definition is unchanged. */
interface OwnPart {
  readonly fields: ReadonlyMap<string, CompiledField>;
  readonly valueFields: ReadonlySet<string>;
  readonly formulas: readonly CompiledField[];
  readonly rules: readonly CompiledRule[];
  readonly duplicateRules: CompiledEntity['duplicateRules'];
  readonly lookups: readonly CompiledField[];
  readonly inputSchema: JsonSchema;
  readonly recordSchema: JsonSchema;
  readonly validateInput: CompiledEntity['validateInput'];
  readonly filterables: ReadonlyMap<string, FilterableField>;
  readonly issues: readonly IssueDetail[];
}

const ownParts = new WeakMap<CompiledEntity, OwnPart>();

function compileOwnPart(entity: EntityDefinition, ajv: Ajv2020): OwnPart {
  const fields = new Map(Object.entries(entity.fields).map(([name, def]) => [name, compileField(name, def)]));
  const writable = [...fields.values()].filter((f) => f.type.compute === 'none').map((f) => f.name);
  const required = writable.filter((name) => {
    const def = entity.fields[name]!;
    return 'required' in def && def.required === true;
  });

  // Driven fields are validated as part of the record (transitions write them) but not writable.
  const inputSchema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(writable.map((name) => [name, fields.get(name)!.schema])),
    required,
    additionalProperties: false,
  };
  const recordSchema: JsonSchema = {
    type: 'object',
    title: localize(entity.label, 'en'),
    properties: {
      ...Object.fromEntries(systemFields.map((f) => [f.name, f.schema])),
      ...Object.fromEntries([...fields.values()].map((f) => [f.name, f.schema])),
    },
    required: ['id', 'version', 'revision', 'createdAt', 'updatedAt', ...required],
    additionalProperties: false,
  };
  const validateInput = ajv.compile(inputSchema);
  const issues = checkDefaults(entity, fields, ajv);

  const filterables = new Map<string, FilterableField>();
  for (const f of systemFields) filterables.set(f.name, f.filterable);
  for (const field of fields.values()) {
    for (const filterable of field.type.filterables(field.definition as never, field.name)) filterables.set(filterable.path.join('.'), filterable);
  }

  const rules: CompiledRule[] = Object.entries(entity.rules ?? {}).map(([name, rule]) => ({
    name,
    when: expressionOrThrow(rule.when, `/rules/${name}/when`),
    message: rule.message,
    ...(rule.field ? { field: rule.field } : {}),
  }));
  return {
    fields,
    valueFields: new Set(writable),
    formulas: orderFormulas(fields),
    rules,
    duplicateRules: Object.entries(entity.duplicateRules ?? {}).map(([name, rule]) => ({
      name,
      ...(rule.label ? { label: rule.label } : {}),
      match: rule.match,
      action: rule.action ?? 'warn',
      method: rule.method ?? 'exact',
      threshold: rule.threshold ?? 0.85,
      ...(rule.region ? { region: rule.region } : {}),
      ...(rule.message ? { message: rule.message } : {}),
    })),
    lookups: [...fields.values()].filter((f) => f.definition.type === 'lookup'),
    inputSchema,
    recordSchema,
    validateInput,
    filterables,
    issues,
  };
}

/** The same definition: the same object (a set made by `with` keeps unchanged documents), or equal JSON. */
function sameDefinition(a: EntityDefinition, b: EntityDefinition): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compiles one entity. With `previous` (the entity as compiled in the model this set changes), the
 * part made from the definition alone — field schemas, validators, expressions, filterables — is
 * reused when the definition is unchanged; what depends on other items (lookups pointing here,
 * rollups fed, workflows driving fields, indexes views and dashboards need) is always derived anew
 * from the set, through `links` (made once per set).
 */
export function compileEntity(entity: EntityDefinition, set: MetadataSet, ajv: () => Ajv2020, previous?: CompiledEntity, links: SetLinks = setLinks(set)): { compiled: CompiledEntity; issues: IssueDetail[]; reused: boolean } {
  const reusable = previous && sameDefinition(previous.definition, entity) ? ownParts.get(previous) : undefined;
  const own = reusable ?? compileOwnPart(entity, ajv());
  const drivenFields = links.drivenFields.get(entity.name) ?? new Set<string>();
  const compiled: CompiledEntity = Object.freeze({
    name: entity.name,
    definition: entity,
    fields: own.fields,
    valueFields: own.valueFields,
    writableFields: new Set([...own.valueFields].filter((name) => !drivenFields.has(name))),
    drivenFields,
    drivenInitialValues: links.drivenInitialValues.get(entity.name) ?? new Map<string, string>(),
    formulas: own.formulas,
    rules: own.rules,
    duplicateRules: own.duplicateRules,
    lookups: own.lookups,
    rollupFeeds: links.rollupFeeds.get(entity.name) ?? [],
    incomingLookups: links.incomingLookups.get(entity.name) ?? [],
    throughLookups: throughLookupsOf(entity, set),
    formulaThroughReads: formulaThroughReadsOf(entity, set),
    lookupFormulaFeeds: lookupFormulaFeedsInto(entity.name, set),
    inputSchema: own.inputSchema,
    recordSchema: own.recordSchema,
    validateInput: own.validateInput,
    filterables: own.filterables,
    collection: { name: entity.name, indexes: deriveIndexes(entity, set) },
  });
  ownParts.set(compiled, own);
  return { compiled, issues: [...own.issues], reused: reusable !== undefined };
}

/** What entities of a set say about each other, gathered in one pass over the set. */
export interface SetLinks {
  readonly drivenFields: ReadonlyMap<string, Set<string>>;
  readonly drivenInitialValues: ReadonlyMap<string, Map<string, string>>;
  readonly rollupFeeds: ReadonlyMap<string, RollupFeed[]>;
  readonly incomingLookups: ReadonlyMap<string, IncomingLookup[]>;
}

export function setLinks(set: MetadataSet): SetLinks {
  const drivenFields = new Map<string, Set<string>>();
  const drivenInitialValues = new Map<string, Map<string, string>>();
  const rollupFeeds = new Map<string, RollupFeed[]>();
  const incomingLookups = new Map<string, IncomingLookup[]>();
  const push = <T>(map: Map<string, T[]>, name: string, item: T) => {
    const list = map.get(name);
    if (list) list.push(item);
    else map.set(name, [item]);
  };
  for (const entity of set.entities()) {
    drivenFields.set(entity.name, drivenFieldsOf(entity, set));
    drivenInitialValues.set(entity.name, drivenInitialValuesOf(entity, set));
  }
  for (const source of set.entities()) {
    for (const [field, def] of Object.entries(source.fields)) {
      if (def.type === 'rollup') push(rollupFeeds, def.from, { parentEntity: source.name, parentField: field, via: def.via, op: def.op, ...(def.field ? { childField: def.field } : {}) });
      if (def.type === 'lookup') push(incomingLookups, def.to, { entity: source.name, field, onDelete: def.onDelete ?? 'restrict' });
      // Record ids are unique across entities: `parent.id` alone finds what points here.
      if (def.type === 'multiLookup') push(incomingLookups, def.to, { entity: source.name, field, onDelete: def.onDelete === 'restrict' ? 'restrict' : 'setNull', many: true });
      if (def.type === 'polymorphicLookup') for (const target of new Set(def.to)) push(incomingLookups, target, { entity: source.name, field: `${field}.id`, onDelete: def.onDelete ?? 'restrict' });
    }
  }
  return { drivenFields, drivenInitialValues, rollupFeeds, incomingLookups };
}

/** A constant default must itself be a valid value of its field. */
function checkDefaults(entity: EntityDefinition, fields: Map<string, CompiledField>, ajv: Ajv2020): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [name, def] of Object.entries(entity.fields)) {
    if (!('default' in def) || def.default === undefined) continue;
    const validate = ajv.compile(fields.get(name)!.schema);
    if (!validate(def.default)) {
      issues.push({ path: `/fields/${name}/default`, message: `is not a valid value of this field: ${validate.errors?.[0]?.message ?? 'invalid'}` });
    }
  }
  return issues;
}

function formulaThroughReadsOf(entity: EntityDefinition, set: MetadataSet): Map<string, { entity: string; field: string }[]> {
  const out = new Map<string, { entity: string; field: string }[]>();
  if (throughLookupsOf(entity, set).size === 0) return out;
  const find = (name: string) => set.entity(name);
  for (const [name, def] of Object.entries(entity.fields)) {
    if (def.type !== 'formula') continue;
    const reads = throughReadsOf(def.expression, entity, find);
    if (reads.length > 0) out.set(name, reads);
  }
  return out;
}
