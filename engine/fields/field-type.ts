// fields/: what each field type means — one small module per type in a registry. A type says how
// its values look (a JSON Schema fragment), how filters and sorts see them, what else its
// definition must satisfy, and, for computed types, how the engine fills them in.

import type { IssueDetail } from '../kernel/errors.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type { EntityDefinition, FieldDefinition } from '../metadata/generated/metadata.ts';
import type { FormWidget } from './form-widgets.ts';
import type { ParsedText, ParseTextOptions } from './parse-text.ts';

/** A JSON Schema fragment (2020-12). */
export type JsonSchema = Record<string, unknown>;

export type FieldTypeName = FieldDefinition['type'];
export type FieldOf<T extends FieldTypeName> = Extract<FieldDefinition, { type: T }>;

/** What a definition check can see: the whole candidate metadata set, not only its own entity. */
export interface DefinitionCheckContext {
  entity: EntityDefinition;
  fieldName: string;
  /** JSON pointer of the field definition inside its document: `/fields/amount`. */
  path: string;
  findEntity(name: string): EntityDefinition | undefined;
}

export type { FormWidget } from './form-widgets.ts';

/** How a computed field gets its value. */
export type ComputeKind = 'none' | 'assigned' | 'formula' | 'rollup';

export interface FieldType<T extends FieldTypeName = FieldTypeName> {
  readonly type: T;
  /**
   * 'none': the user writes it. 'assigned': set once by the engine on create (autonumber).
   * 'formula': recomputed on every write. 'rollup': kept current from child records.
   * Every computed kind is refused on input.
   */
  readonly compute: ComputeKind;
  /** Form widgets that fit this type (form-widgets.ts's table, the studio's too); the first is the default. */
  readonly widgets?: readonly FormWidget[];
  /** The entity a value of this field points to (a lookup's target); undefined when it holds no reference. */
  referenceTarget?(field: FieldOf<T>): string | undefined;
  /** JSON Schema of one value of this field, as written and as stored. */
  valueSchema(field: FieldOf<T>): JsonSchema;
  /** How filters and sorts address the field (several entries for a composite). Empty: not filterable. */
  filterables(field: FieldOf<T>, name: string): FilterableField[];
  /** Checks beyond the document schema (references, ranges, patterns). Returns issues, never throws. */
  checkDefinition?(field: FieldOf<T>, context: DefinitionCheckContext): IssueDetail[];
  /** Canonical form of an accepted value before it is stored (e.g. datetimes in UTC). */
  normalize?(value: unknown, field: FieldOf<T>): unknown;
  /** Reads one value from text (imports, spreadsheets): the value or why not. Absent: the text as it is. */
  parseText?(text: string, field: FieldOf<T>, options: ParseTextOptions): ParsedText;
  /**
   * A value written through a form is a person acting now: the parts of it that record when (a
   * consent's givenAt and withdrawnAt) take the server's clock where they changed from `previous`,
   * never the browser's. Writes without a form (the API, imports) keep the times they carry.
   */
  stampFormValue?(value: unknown, previous: unknown, now: string): unknown;
  /** A check of a schema-valid value beyond its JSON Schema (e.g. more decimals than the field's scale). */
  valueIssue?(value: unknown, field: FieldOf<T>): LocalizedText | undefined;
  /**
   * What a failed keyword of the type's own schema means to the person typing the value, keyed by
   * the keyword (`pattern`, `format`): ajv's own words would show them the type's regular expression.
   */
  readonly valueMessages?: Partial<Record<'pattern' | 'format', LocalizedText>>;
}

/** The operators every scalar field supports. */
export const scalarOperators = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not'] as const;
export const textOperators = [...scalarOperators, '$regex'] as const;
export const elementOperators = ['$eq', '$ne', '$in', '$nin', '$exists', '$not'] as const;

export function scalarFilterable(name: string, valueType: FilterableField['valueType'], withRegex = false): FilterableField[] {
  return [{ path: [name], valueType, array: false, operators: withRegex ? textOperators : scalarOperators, sortable: true }];
}

/** min ≤ max, shared by numeric and date types. */
export function checkRange(field: { min?: number | string; max?: number | string }, path: string): IssueDetail[] {
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
    return [{ path: `${path}/min`, message: `min (${field.min}) must not be greater than max (${field.max})` }];
  }
  return [];
}
