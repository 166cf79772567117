/* Generated from schemas/ by engine/metadata/generate-types.ts — do not edit. Run: npx tsx engine/metadata/generate-types.ts */

/**
 * Text shown to people: one string, or one per locale.
 */
export type LocalizedText =
  | string
  | {
      en?: string;
      zh?: string;
    };
/**
 * One field of an entity. `type` selects the field type; each type allows its own options.
 */
export type FieldDefinition = {
  /**
   * The field type.
   */
  type:
    | "text"
    | "textarea"
    | "email"
    | "phone"
    | "url"
    | "integer"
    | "number"
    | "currency"
    | "percent"
    | "boolean"
    | "date"
    | "datetime"
    | "picklist"
    | "multipicklist"
    | "lookup"
    | "autonumber"
    | "formula"
    | "rollup"
    | "address"
    | "consent";
} & (
  | TextField
  | TextareaField
  | EmailField
  | PhoneField
  | UrlField
  | IntegerField
  | NumberField
  | CurrencyField
  | PercentField
  | BooleanField
  | DateField
  | DatetimeField
  | PicklistField
  | MultipicklistField
  | LookupField
  | AutonumberField
  | FormulaField
  | RollupField
  | AddressField
  | ConsentField
);

/**
 * Every kind of metadata document, by kind.
 */
export interface MetadataDocuments {
  entity?: EntityDefinition;
  field?: FieldDefinition;
}
/**
 * A kind of business record (account, deal, case…): its fields, rules and indexes. Every named collection is an object keyed by name, so that an admin overlay can add or change one member without restating the others.
 */
export interface EntityDefinition {
  kind: "entity";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  pluralLabel?: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  titleField?: string;
  fields: {
    [k: string]: FieldDefinition;
  };
  /**
   * Cross-field validation rules: when the condition is true, the record is refused with the message.
   */
  rules?: {
    [k: string]: Rule;
  };
  /**
   * Records that share the values of these fields are duplicates: warn, or block the write.
   */
  duplicateRules?: {
    [k: string]: DuplicateRule;
  };
  /**
   * Indexes beyond those the engine derives (unique fields, lookups, view filters and sorts).
   */
  indexes?: {
    [k: string]: Index;
  };
  /**
   * What erasure does to a record that holds a person's data.
   */
  privacy?: {
    erasure?: "anonymize" | "delete";
    /**
     * A metadata name: camelCase, starting with a lower-case letter.
     */
    subjectField?: string;
    retentionDays?: number;
    retentionAction?: "anonymize" | "delete";
  };
}
/**
 * Single-line text.
 */
export interface TextField {
  type: "text";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  minLength?: number;
  maxLength?: number;
  /**
   * A regular expression the value must match; refused when prone to catastrophic backtracking.
   */
  pattern?: string;
}
/**
 * Multi-line text.
 */
export interface TextareaField {
  type: "textarea";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  minLength?: number;
  maxLength?: number;
}
/**
 * An e-mail address.
 */
export interface EmailField {
  type: "email";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  maxLength?: number;
}
/**
 * A phone number (digits, spaces, + - ( ) .).
 */
export interface PhoneField {
  type: "phone";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  maxLength?: number;
}
/**
 * An http(s) address.
 */
export interface UrlField {
  type: "url";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  maxLength?: number;
}
/**
 * A whole number.
 */
export interface IntegerField {
  type: "integer";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
}
/**
 * A decimal number.
 */
export interface NumberField {
  type: "number";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
  /**
   * Decimal places kept.
   */
  scale?: number;
}
/**
 * An amount of money.
 */
export interface CurrencyField {
  type: "currency";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
  /**
   * ISO 4217 code, e.g. CNY.
   */
  currency?: string;
}
/**
 * A percentage, 0–100 unless min/max say otherwise.
 */
export interface PercentField {
  type: "percent";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
}
/**
 * Yes or no.
 */
export interface BooleanField {
  type: "boolean";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
}
/**
 * A calendar date, YYYY-MM-DD.
 */
export interface DateField {
  type: "date";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: string;
  max?: string;
}
/**
 * An instant, ISO 8601, stored in UTC.
 */
export interface DatetimeField {
  type: "datetime";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: string;
  max?: string;
}
/**
 * One value from a list.
 */
export interface PicklistField {
  type: "picklist";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  /**
   * The allowed values, keyed by the stored value, in display order.
   */
  options: {
    [k: string]: {
      label?: LocalizedText;
      /**
       * A CSS colour for badges and kanban columns.
       */
      color?: string;
      /**
       * Kept for existing records, refused for new values.
       */
      inactive?: boolean;
    };
  };
}
/**
 * Several values from a list.
 */
export interface MultipicklistField {
  type: "multipicklist";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  /**
   * The allowed values, keyed by the stored value, in display order.
   */
  options: {
    [k: string]: {
      label?: LocalizedText;
      /**
       * A CSS colour for badges and kanban columns.
       */
      color?: string;
      /**
       * Kept for existing records, refused for new values.
       */
      inactive?: boolean;
    };
  };
  minItems?: number;
  maxItems?: number;
}
/**
 * A reference to a record of another (or the same) entity.
 */
export interface LookupField {
  type: "lookup";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  to: string;
  /**
   * What deleting the referenced record does. Default restrict.
   */
  onDelete?: "restrict" | "setNull" | "cascade";
}
/**
 * A number the engine assigns on create: prefix + zero-padded sequence, never reused.
 */
export interface AutonumberField {
  type: "autonumber";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  prefix?: string;
  digits?: number;
  start?: number;
}
/**
 * A read-only value computed by a JSONata expression on every write.
 */
export interface FormulaField {
  type: "formula";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  returns: "text" | "number" | "integer" | "currency" | "percent" | "boolean" | "date" | "datetime";
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  expression: string;
}
/**
 * An aggregate of child records that point here through a lookup, kept current as children change.
 */
export interface RollupField {
  type: "rollup";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  from: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  via: string;
  op: "count" | "sum" | "min" | "max" | "avg";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  field?: string;
}
/**
 * A postal address: street, city, region, postalCode, country.
 */
export interface AddressField {
  type: "address";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
}
/**
 * Consent to one purpose of processing: given at, source, withdrawn at.
 */
export interface ConsentField {
  type: "consent";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: {
    [k: string]: unknown;
  };
  purpose?: LocalizedText;
}
export interface Rule {
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when: string;
  message: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  field?: string;
}
export interface DuplicateRule {
  /**
   * @minItems 1
   * @maxItems 5
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  match:
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string];
  action?: "warn" | "block";
  message?: LocalizedText;
}
export interface Index {
  /**
   * Field names in order; a leading '-' sorts that key descending.
   *
   * @minItems 1
   * @maxItems 5
   */
  fields:
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string];
  unique?: boolean;
}
