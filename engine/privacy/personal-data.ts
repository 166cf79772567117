// privacy/: personal data as metadata declares it — fields flagged `personal`, consent fields,
// the entity's subject field and `privacy` block — and what follows: subject export, erasure
// (anonymize or delete, audit trail scrubbed, files purged), the erasure ledger that re-applies
// erasures to restored backups, retention rules, masking in logs.
// This file: which fields of an entity hold personal data, and how a value is anonymized.

import { randomBytes } from 'node:crypto';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import type { EntityDefinition } from '../metadata/generated/metadata.ts';

export type EntityPrivacy = NonNullable<EntityDefinition['privacy']>;

/** The data key marking a record as anonymized (a leading `_` can never be a field name). */
export const erasedMarker = '_erasedAt';

export function privacyOf(entity: CompiledEntity): EntityPrivacy | undefined {
  return entity.definition.privacy;
}

const identifiers = (expression: unknown): string[] => (typeof expression === 'string' ? (expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) : []);

/**
 * Fields holding personal data: flagged `personal`, consent fields, the subject field, and
 * formulas computed from any of those (a full name made of first and last name is personal too).
 */
export function personalFields(entity: CompiledEntity): Set<string> {
  const out = new Set<string>();
  for (const [name, field] of entity.fields) {
    const definition = field.definition as { personal?: boolean; type: string };
    if (definition.personal === true || definition.type === 'consent') out.add(name);
  }
  const subject = privacyOf(entity)?.subjectField;
  if (subject) out.add(subject);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, field] of entity.fields) {
      if (out.has(name) || field.type.compute === 'none') continue;
      const definition = field.definition as { expression?: unknown; defaultExpression?: unknown };
      if (identifiers(definition.expression).some((id) => out.has(id))) {
        out.add(name);
        grew = true;
      }
    }
  }
  return out;
}

/** Entities that name a subject field: where a person is found by e-mail (or whatever identifies them). */
export function subjectEntities(model: CompiledModel): CompiledEntity[] {
  return [...model.entities.values()].filter((e) => privacyOf(e)?.subjectField !== undefined);
}

/**
 * A record's data with its personal fields anonymized: removed, or — where the field is required
 * or unique — replaced by a placeholder that says nothing (random where it must stay unique).
 */
export function anonymizedData(entity: CompiledEntity, data: Record<string, unknown>, at: string): { data: Record<string, unknown>; fields: string[] } {
  const personal = personalFields(entity);
  const out: Record<string, unknown> = { ...data, [erasedMarker]: at };
  const fields: string[] = [];
  for (const name of personal) {
    if (data[name] === undefined) continue;
    fields.push(name);
    const field = entity.fields.get(name)!;
    const definition = field.definition as { required?: boolean; unique?: boolean; type: string };
    if (!definition.required && !definition.unique) {
      delete out[name];
      continue;
    }
    const token = randomBytes(6).toString('hex');
    switch (definition.type) {
      case 'email':
        out[name] = `erased-${token}@erased.invalid`;
        break;
      case 'text':
      case 'textarea':
      case 'phone':
      case 'url':
        out[name] = definition.unique ? `erased-${token}` : 'erased';
        break;
      default:
        delete out[name]; // numbers, dates, composites: no neutral value; a missing value says least
    }
  }
  return { data: out, fields: fields.sort() };
}

/** What anonymizedData puts in a required or unique field: it says nothing of anyone. */
const placeholder = /^erased(-[0-9a-f]{12}(@erased\.invalid)?)?$/;

/**
 * Whether a record holds personal values to anonymize: never anonymized, or — anonymized before —
 * given a personal value again (the person typed in anew, a duplicate merged into it). An anonymized
 * record left as it was holds none (its required fields hold placeholders): it is done, however
 * often a rule looks at it.
 */
export function holdsPersonalValues(entity: CompiledEntity, data: Record<string, unknown>): boolean {
  if (data[erasedMarker] === undefined) return true;
  return [...personalFields(entity)].some((name) => data[name] !== undefined && data[name] !== null && !(typeof data[name] === 'string' && placeholder.test(data[name])));
}

/** A copy of the values with every personal field masked — for logs, never for storage. */
export function maskPersonalData(entity: CompiledEntity, values: Record<string, unknown>): Record<string, unknown> {
  const personal = personalFields(entity);
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, personal.has(key) && value !== undefined ? '***' : value]));
}
