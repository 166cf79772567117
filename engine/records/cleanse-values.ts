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

/** Like cleanseValue, and which steps of the rule changed the value. */
export function cleanseValueWithSteps(entity: CompiledEntity, field: string, value: unknown): { value: unknown; steps: Set<CleansingStep> } {
  const steps = new Set<CleansingStep>();
  const compiled = rulesOf(entity).get(field);
  if (!compiled) return { value, steps };
  if (typeof value === 'string') return { value: cleanseString(value, compiled, steps), steps };
  if (Array.isArray(value)) return { value: value.map((v) => (typeof v === 'string' ? cleanseString(v, compiled, steps) : v)), steps };
  return { value, steps };
}

/** The fields of `entity` that have a cleansing rule. */
export function cleansedFields(entity: CompiledEntity): string[] {
  return [...rulesOf(entity).keys()];
}

/** The value a field's cleansing rule makes of `value` (strings and lists of strings; the rest as is). */
export function cleanseValue(entity: CompiledEntity, field: string, value: unknown): unknown {
  const compiled = rulesOf(entity).get(field);
  if (!compiled) return value;
  if (typeof value === 'string') return cleanseString(value, compiled);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? cleanseString(v, compiled) : v));
  return value;
}

export function hasCleansing(entity: CompiledEntity): boolean {
  return rulesOf(entity).size > 0;
}

/** Every value with a cleansing rule, cleansed (a new object; the input is left alone). */
export function cleanseValues(entity: CompiledEntity, values: RecordValues): RecordValues {
  if (!hasCleansing(entity)) return values;
  const out: RecordValues = { ...values };
  for (const field of rulesOf(entity).keys()) if (out[field] !== undefined) out[field] = cleanseValue(entity, field, out[field]);
  return out;
}
