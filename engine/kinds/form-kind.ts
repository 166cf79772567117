// The form kind: a form lays out fields of one entity. Each field it names must be the entity's,
// in one section only, with a widget that fits it (fields/form-widgets.ts, the table the studio
// draws from); its conditions must parse and read the entity's own fields; a related list must
// name a lookup of the child that points back here; and an entity has at most one default form.
// A published form (a public web form) names no field a visitor would have to search records for,
// and no related list.

import { pointerSegment as escape, type IssueDetail } from '../kernel/errors.ts';
import { widgetMisfit } from '../fields/form-widgets.ts';
import { localize } from '../kernel/i18n.ts';
import type { EntityDefinition, FormDefinition, FormSection } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { checkRecordExpression, referenceTargetOf } from './entity-paths.ts';
import type { MetadataKind } from './metadata-kind.ts';

/** The form's conditions, by the property that holds them (what the server evaluates on writes). */
export const formConditions = ['visibleWhen', 'requiredWhen', 'readOnlyWhen'] as const;

export const formKind: MetadataKind = {
  kind: 'form',
  plural: 'forms',
  check(document, set) {
    const form = document as unknown as FormDefinition;
    const entity = set.entity(form.entity);
    if (!entity) return [{ path: '/entity', message: `refers to entity "${form.entity}", which does not exist` }];
    const issues: IssueDetail[] = [];
    const placed = new Map<string, string>();
    for (const [sectionName, section] of Object.entries(form.sections)) {
      const at = `/sections/${escape(sectionName)}`;
      issues.push(...checkRecordExpression(entity, section.visibleWhen, `${at}/visibleWhen`));
      if (section.related) issues.push(...checkRelated(section.related, entity, set, `${at}/related`));
      for (const [fieldName, formField] of Object.entries(section.fields ?? {})) {
        const fieldAt = `${at}/fields/${escape(fieldName)}`;
        const earlier = placed.get(fieldName);
        if (earlier !== undefined) issues.push({ path: fieldAt, code: 'META_DUPLICATE', message: `"${fieldName}" is already in section "${earlier}": a field appears in one section only` });
        placed.set(fieldName, sectionName);
        issues.push(...checkFormField(entity, fieldName, formField, fieldAt));
      }
    }
    if (form.publish) issues.push(...checkPublished(form, entity));
    if (form.default === true) {
      const other = set.list('form').find((f) => f.name !== form.name && f['entity'] === form.entity && f['default'] === true);
      if (other) issues.push({ path: '/default', code: 'META_DUPLICATE', message: `form "${other.name}" is already the default form of ${form.entity}` });
    }
    return issues;
  },
};

/** Field types whose input searches records: a visitor of a public web form may not. */
const searchingTypes = new Set(['lookup', 'user', 'polymorphicLookup', 'multiLookup']);

function checkPublished(form: FormDefinition, entity: EntityDefinition): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [sectionName, section] of Object.entries(form.sections)) {
    const at = `/sections/${escape(sectionName)}`;
    if (section.related) issues.push({ path: `${at}/related`, code: 'META_PUBLISHED', message: 'a published form shows no related list: its visitors may read no records' });
    for (const fieldName of Object.keys(section.fields ?? {})) {
      const type = entity.fields[fieldName]?.type;
      if (type !== undefined && searchingTypes.has(type)) issues.push({ path: `${at}/fields/${escape(fieldName)}`, code: 'META_PUBLISHED', message: `a published form cannot ask for a ${type} field: its visitors may not search records` });
    }
  }
  return issues;
}

function checkFormField(entity: EntityDefinition, fieldName: string, formField: NonNullable<FormSection['fields']>[string], at: string): IssueDetail[] {
  const field = entity.fields[fieldName];
  if (!field) return [{ path: at, code: 'META_UNKNOWN_FIELD', message: `refers to "${fieldName}", which is not a field of ${entity.name}` }];
  const issues: IssueDetail[] = [];
  const misfit = formField.widget === undefined ? undefined : widgetMisfit(field, formField.widget);
  if (misfit) issues.push({ path: `${at}/widget`, code: 'META_WIDGET', message: localize(misfit, 'en'), text: misfit });
  for (const condition of formConditions) issues.push(...checkRecordExpression(entity, formField[condition], `${at}/${condition}`));
  return issues;
}

function checkRelated(related: NonNullable<FormSection['related']>, entity: EntityDefinition, set: MetadataSet, at: string): IssueDetail[] {
  const child = set.entity(related.entity);
  if (!child) return [{ path: `${at}/entity`, message: `refers to entity "${related.entity}", which does not exist` }];
  const issues: IssueDetail[] = [];
  if (referenceTargetOf(child.fields[related.via]) !== entity.name) issues.push({ path: `${at}/via`, message: `must be a lookup field of ${child.name} that points to ${entity.name}` });
  if (related.view !== undefined) {
    const view = set.get('view', related.view);
    if (!view) issues.push({ path: `${at}/view`, message: `refers to view "${related.view}", which does not exist` });
    else if (view['entity'] !== child.name) issues.push({ path: `${at}/view`, message: `view "${related.view}" shows ${String(view['entity'])}, not ${child.name}` });
  }
  return issues;
}
