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

export function compileEntity(entity: EntityDefinition, set: MetadataSet, ajv: Ajv2020): { compiled: CompiledEntity; issues: IssueDetail[] } {
  const fields = new Map(Object.entries(entity.fields).map(([name, def]) => [name, compileField(name, def)]));
  const drivenFields = drivenFieldsOf(entity, set);
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

  const compiled: CompiledEntity = Object.freeze({
    name: entity.name,
    definition: entity,
    fields,
    valueFields: new Set(writable),
    writableFields: new Set(writable.filter((name) => !drivenFields.has(name))),
    drivenFields,
    drivenInitialValues: drivenInitialValuesOf(entity, set),
    formulas: orderFormulas(fields),
    rules,
    duplicateRules: Object.entries(entity.duplicateRules ?? {}).map(([name, rule]) => ({
      name,
      match: rule.match,
      action: rule.action ?? 'warn',
      ...(rule.message ? { message: rule.message } : {}),
    })),
    lookups: [...fields.values()].filter((f) => f.definition.type === 'lookup'),
    rollupFeeds: rollupFeedsInto(entity.name, set),
    incomingLookups: incomingLookupsTo(entity.name, set),
    throughLookups: throughLookupsOf(entity, set),
    formulaThroughReads: formulaThroughReadsOf(entity, set),
    lookupFormulaFeeds: lookupFormulaFeedsInto(entity.name, set),
    inputSchema,
    recordSchema,
    validateInput,
    filterables,
    collection: { name: entity.name, indexes: deriveIndexes(entity, set) },
  });
  return { compiled, issues };
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

function rollupFeedsInto(child: string, set: MetadataSet): RollupFeed[] {
  return set.entities().flatMap((parent) =>
    Object.entries(parent.fields).flatMap(([parentField, def]) =>
      def.type === 'rollup' && def.from === child
        ? [{ parentEntity: parent.name, parentField, via: def.via, op: def.op, ...(def.field ? { childField: def.field } : {}) }]
        : [],
    ),
  );
}

function incomingLookupsTo(target: string, set: MetadataSet): IncomingLookup[] {
  return set.entities().flatMap((source) =>
    Object.entries(source.fields).flatMap(([field, def]) =>
      def.type === 'lookup' && def.to === target
        ? [{ entity: source.name, field, onDelete: def.onDelete ?? 'restrict' }]
        : // Record ids are unique across entities: `parent.id` alone finds what points here.
          def.type === 'polymorphicLookup' && def.to.includes(target)
          ? [{ entity: source.name, field: `${field}.id`, onDelete: def.onDelete ?? 'restrict' }]
          : [],
    ),
  );
}
