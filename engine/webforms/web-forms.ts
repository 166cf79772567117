// Public web forms: a form with `publish` (web-to-lead, a service request) is served to anyone at
// GET /api/public/forms/{name} and accepts submissions at POST …/submissions without signing in.
// What a visitor may write is exactly the form's own writable fields; a filled honeypot or an
// address past the form's rate limit is refused; the record is created by the record service like
// any other write (validation, form logic, triggers), acting as `system:webForm:{name}`.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { CrmError, pointerSegment, type IssueDetail } from '../kernel/errors.ts';
import type { EntityDefinition, FieldDefinition, FormDefinition, FormSection } from '../metadata/generated/metadata.ts';

/** What a visitor is shown of a field: enough to render and label its input, nothing about other records. */
const publicFieldKeys = ['type', 'label', 'help', 'required', 'maxLength', 'minLength', 'min', 'max', 'precision', 'options', 'currency', 'pattern'] as const;
const computedTypes = new Set(['formula', 'rollup', 'autonumber']);

export interface PublishedForm {
  form: FormDefinition;
  entity: EntityDefinition;
  /** The fields a visitor may write, in no particular order. */
  writable: Set<string>;
}

export function publishedForm(model: CompiledModel, name: string): PublishedForm {
  const form = model.set.get('form', name) as unknown as FormDefinition | undefined;
  const entity = form ? (model.set.get('entity', form.entity) as unknown as EntityDefinition | undefined) : undefined;
  if (!form?.publish || !entity) throw new CrmError('NOT_FOUND', { en: `There is no published form "${name}"`, zh: `没有已发布的表单「${name}」` });
  const writable = new Set<string>();
  for (const section of Object.values(form.sections)) {
    for (const [field, placed] of Object.entries(section.fields ?? {})) {
      const def = entity.fields[field];
      if (def && !computedTypes.has(def.type) && !placed.readOnly && !(def as { readOnly?: boolean }).readOnly) writable.add(field);
    }
  }
  return { form, entity, writable };
}

function publicField(def: FieldDefinition): Record<string, unknown> {
  const all = def as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of publicFieldKeys) if (all[key] !== undefined) out[key] = all[key];
  return out;
}

/** The form as a visitor sees it: its writable fields only, no related lists, its texts. */
export function publicDescription(published: PublishedForm): Record<string, unknown> {
  const { form, entity, writable } = published;
  const sections: Record<string, FormSection> = {};
  for (const [key, section] of Object.entries(form.sections)) {
    const fields = Object.fromEntries(Object.entries(section.fields ?? {}).filter(([f]) => writable.has(f)));
    if (Object.keys(fields).length === 0) continue;
    const { related: _related, ...rest } = section;
    sections[key] = { ...rest, fields };
  }
  return {
    name: form.name,
    entity: { name: entity.name, label: entity.label, fields: Object.fromEntries([...writable].map((f) => [f, publicField(entity.fields[f]!)])) },
    form: { kind: 'form', name: form.name, entity: entity.name, label: form.label, sections },
    title: form.publish?.title ?? form.label,
    ...(form.publish?.intro ? { intro: form.publish.intro } : {}),
    ...(form.publish?.thankYou ? { thankYou: form.publish.thankYou } : {}),
  };
}

/**
 * Checks a submission's shape: `{ values: {…}, honeypot?: "" }`. A filled honeypot (an input people
 * never see) or a value for a field the form does not offer is refused at its pointer.
 */
export function submittedValues(body: unknown, published: PublishedForm): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'must be a JSON object like { "values": { … } }' }]);
  const { values, honeypot, ...rest } = body as { values?: unknown; honeypot?: unknown };
  const issues: IssueDetail[] = Object.keys(rest).map((k) => ({ path: `/${pointerSegment(k)}`, message: 'is not a known property (only "values" and "honeypot")' }));
  if (honeypot !== undefined && honeypot !== '' && honeypot !== null) {
    throw new CrmError('BAD_REQUEST', { en: 'The submission was refused', zh: '提交被拒绝' }, [{ path: '/honeypot', message: 'must be empty' }]);
  }
  if (values === null || typeof values !== 'object' || Array.isArray(values)) issues.push({ path: '/values', message: 'must be an object of field values' });
  else for (const key of Object.keys(values)) if (!published.writable.has(key)) issues.push({ path: `/values/${pointerSegment(key)}`, message: 'is not a field of this form' });
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
  return values as Record<string, unknown>;
}

/** The record service's errors point into the record; a submission's values sit under /values. */
export function underValues(error: unknown): unknown {
  if (!(error instanceof CrmError) || error.details.length === 0) return error;
  return new CrmError(error.code, error.text, error.details.map((d) => ({ ...d, path: `/values${d.path}` })));
}
