// Cleansing rules (entity metadata `cleansing`): what a write or an import does to a value before
// it is validated — synonyms ("technolgy" → "technology", "GTXPro" → "GTX Pro"), trimming, letter
// case, full-width → half-width, phone numbers to E.164. Also applied to the keys imports resolve
// lookups by. Unique fields and duplicate rules then compare the normalized values.

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { CleansingRule } from '../metadata/generated/metadata.ts';
import { caseOf } from '../fields/letter-case.ts';
import type { RecordValues } from './record-shape.ts';

interface CompiledCleansing {
  rule: CleansingRule;
  synonyms: Map<string, string>;
}

const cache = new WeakMap<object, Map<string, CompiledCleansing>>();

function rulesOf(entity: CompiledEntity): Map<string, CompiledCleansing> {
  const definition = entity.definition;
  let rules = cache.get(definition);
  if (!rules) {
    rules = new Map();
    for (const [field, rule] of Object.entries(definition.cleansing ?? {})) {
      const synonyms = new Map(Object.entries(rule.synonyms ?? {}).map(([from, to]) => [synonymKey(from), to]));
      rules.set(field, { rule, synonyms });
    }
    cache.set(definition, rules);
  }
  return rules;
}

/**
 * Text fields that are unique keys (unique themselves, or in a unique index): their values are
 * cut of surrounding whitespace on every write and import, declared rule or not — "ACME " and
 * "ACME" are one key, and a space typed or pasted at the end never makes a second one.
 */
const keyFieldsCache = new WeakMap<object, ReadonlySet<string>>();

function keyTextFields(entity: CompiledEntity): ReadonlySet<string> {
  const definition = entity.definition;
  let fields = keyFieldsCache.get(definition);
  if (!fields) {
    const unique = new Set<string>();
    for (const [name, field] of Object.entries(definition.fields)) if ('unique' in field && field.unique) unique.add(name);
    for (const index of Object.values(definition.indexes ?? {})) if (index.unique) for (const key of index.fields) unique.add(key.replace(/^-/, '').split('.')[0]!);
    fields = new Set([...unique].filter((name) => definition.fields[name]?.type === 'text'));
    keyFieldsCache.set(definition, fields);
  }
  return fields;
}

const synonymKey = (text: string) => text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A phone number in E.164 ("+44 20 7946 0958", "+44-20-7946-0958", "020 7946 0958" in GB →
 * "+442079460958"), read with libphonenumber-js; undefined when it is no phone number. Numbers a
 * region does not assign are still brought to one form, so that two spellings of one number compare equal.
 */
export function phoneToE164(text: string, region?: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text.normalize('NFKC'), region ? { defaultCountry: region as CountryCode } : undefined);
  return parsed?.number;
}

/** The steps of a cleansing rule, in the order they apply (named in cleansing jobs' reports). */
export type CleansingStep = 'halfWidth' | 'trim' | 'phone' | 'synonyms' | 'case';

function cleanseString(text: string, compiled: CompiledCleansing, steps?: Set<CleansingStep>): string {
  const { rule, synonyms } = compiled;
  let value = text;
  const step = (name: CleansingStep, next: string) => {
    if (steps && next !== value) steps.add(name);
    value = next;
  };
  if (rule.halfWidth) step('halfWidth', value.normalize('NFKC'));
  if (rule.trim) step('trim', value.trim().replace(/\s+/g, ' '));
  if (rule.phone) step('phone', phoneToE164(value, rule.phone) ?? value);
  const synonym = synonyms.get(synonymKey(value));
  if (synonym !== undefined) step('synonyms', synonym);
  step('case', caseOf(rule, value));
  return value;
}

/** The text of `field` as its rule (and, a unique key, its trimming) makes it. */
function cleanseText(entity: CompiledEntity, field: string, text: string, steps?: Set<CleansingStep>): string {
  const compiled = rulesOf(entity).get(field);
  let value = text;
  if (keyTextFields(entity).has(field)) {
    value = text.trim();
    if (steps && value !== text) steps.add('trim');
  }
  return compiled ? cleanseString(value, compiled, steps) : value;
}

/** Like cleanseValue, and which steps of the rule changed the value. */
export function cleanseValueWithSteps(entity: CompiledEntity, field: string, value: unknown): { value: unknown; steps: Set<CleansingStep> } {
  const steps = new Set<CleansingStep>();
  if (!cleanses(entity, field)) return { value, steps };
  if (typeof value === 'string') return { value: cleanseText(entity, field, value, steps), steps };
  if (Array.isArray(value)) return { value: value.map((v) => (typeof v === 'string' ? cleanseText(entity, field, v, steps) : v)), steps };
  return { value, steps };
}

const cleanses = (entity: CompiledEntity, field: string): boolean => rulesOf(entity).has(field) || keyTextFields(entity).has(field);

/**
 * The fields of `entity` that have a cleansing rule, and its key text fields (trimmed on every
 * write): a cleansing job offers both, so that keys stored with spaces before writes trimmed them can
 * be brought to their trimmed form.
 */
export function cleansedFields(entity: CompiledEntity): string[] {
  return [...new Set([...rulesOf(entity).keys(), ...keyTextFields(entity)])];
}

/** The value a field's cleansing rule makes of `value` (strings and lists of strings; the rest as is). */
export function cleanseValue(entity: CompiledEntity, field: string, value: unknown): unknown {
  if (!cleanses(entity, field)) return value;
  if (typeof value === 'string') return cleanseText(entity, field, value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? cleanseText(entity, field, v) : v));
  return value;
}

export function hasCleansing(entity: CompiledEntity): boolean {
  return rulesOf(entity).size > 0 || keyTextFields(entity).size > 0;
}

/** Every value with a cleansing rule (or a unique key's trimming), cleansed (a new object; the input is left alone). */
export function cleanseValues(entity: CompiledEntity, values: RecordValues): RecordValues {
  if (!hasCleansing(entity)) return values;
  const out: RecordValues = { ...values };
  for (const field of new Set([...rulesOf(entity).keys(), ...keyTextFields(entity)])) if (out[field] !== undefined) out[field] = cleanseValue(entity, field, out[field]);
  return out;
}
