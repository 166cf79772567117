// compile/: turns one revision's metadata set into a frozen CompiledModel — per entity a JSON
// Schema, its ajv validator, compiled expressions, rollup links and the indexes to keep. Compiled
// once per revision, never per request; a new revision is swapped in whole.

import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { CompiledExpression } from '../expressions/compile-expression.ts';
import type { FieldType, JsonSchema } from '../fields/field-type.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type { EntityDefinition, FieldDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { CollectionSpec } from '../store/store-port.ts';
import type { LookupFormulaFeed, ThroughLookups } from '../fields/lookup-reads.ts';

export interface CompiledField {
  readonly name: string;
  readonly definition: FieldDefinition;
  readonly type: FieldType;
  /** JSON Schema of the field's value (with title and description from the metadata). */
  readonly schema: JsonSchema;
  /** Formula expression, compiled. */
  readonly formula?: CompiledExpression;
  /** Default expression, compiled. */
  readonly defaultExpression?: CompiledExpression;
}

export interface CompiledRule {
  readonly name: string;
  readonly when: CompiledExpression;
  readonly message: LocalizedText;
  readonly field?: string;
}

/** A rollup on a parent entity that this (child) entity feeds. */
export interface RollupFeed {
  readonly parentEntity: string;
  readonly parentField: string;
  /** The child's lookup field pointing at the parent. */
  readonly via: string;
  readonly op: 'count' | 'sum' | 'min' | 'max' | 'avg';
  readonly childField?: string;
}

/** A lookup on another entity that points at this one (what deleting a record must respect). */
export interface IncomingLookup {
  readonly entity: string;
  readonly field: string;
  readonly onDelete: 'restrict' | 'setNull' | 'cascade';
  /** A multiLookup: the field holds a list of ids, and setNull removes this one from it. */
  readonly many?: true;
}

export interface CompiledDuplicateRule {
  readonly name: string;
  /** What people read where the rule is named; clients fall back to `name`. */
  readonly label?: LocalizedText;
  readonly match: readonly string[];
  readonly action: 'warn' | 'block';
  /** exact and normalized rules are checked on every write (normalized ones through records/match-keys.ts); fuzzy ones by the duplicate scan (engine/quality). */
  readonly method: 'exact' | 'normalized' | 'fuzzy';
  readonly threshold: number;
  readonly region?: string;
  readonly message?: LocalizedText;
}

export interface CompiledEntity {
  readonly name: string;
  readonly definition: EntityDefinition;
  readonly fields: ReadonlyMap<string, CompiledField>;
  /** Fields whose values are given, not computed (workflow-driven ones included): what validation sees. */
  readonly valueFields: ReadonlySet<string>;
  /** Fields a create or update may set: not computed, not system, not driven by a workflow. */
  readonly writableFields: ReadonlySet<string>;
  /** Fields only a workflow transition may change. */
  readonly drivenFields: ReadonlySet<string>;
  /** Driven field → its workflow's initial state, set on every create. */
  readonly drivenInitialValues: ReadonlyMap<string, string>;
  /** Formulas in dependency order. */
  readonly formulas: readonly CompiledField[];
  readonly rules: readonly CompiledRule[];
  readonly duplicateRules: readonly CompiledDuplicateRule[];
  readonly lookups: readonly CompiledField[];
  readonly rollupFeeds: readonly RollupFeed[];
  readonly incomingLookups: readonly IncomingLookup[];
  /** Lookups this entity's formulas and rules read through (`account.industry`): expanded before evaluation. */
  readonly throughLookups: ThroughLookups;
  /** Formula → the fields of other entities it reads through lookups (a formula shows what it reads: see access/). */
  readonly formulaThroughReads: ReadonlyMap<string, readonly { entity: string; field: string }[]>;
  /** Formulas elsewhere that read this entity through lookups: recomputed when a read field changes. */
  readonly lookupFormulaFeeds: readonly LookupFormulaFeed[];
  /** JSON Schema of what a client may write (writable fields). */
  readonly inputSchema: JsonSchema;
  /** JSON Schema of a record as the API returns it (every field plus system fields). */
  readonly recordSchema: JsonSchema;
  /** Validates the writable part of a complete record (after defaults, before computed fields). */
  readonly validateInput: ValidateFunction;
  /** Dotted path → how filters and sorts see it. */
  readonly filterables: ReadonlyMap<string, FilterableField>;
  readonly collection: CollectionSpec;
}

export interface CompiledModel {
  readonly revision: number;
  readonly set: MetadataSet;
  readonly entities: ReadonlyMap<string, CompiledEntity>;
}
