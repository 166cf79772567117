// The workflow kind: cross-references a workflow needs beyond its JSON Schema — the entity and the
// field it drives (a picklist whose options are the states, driven by no other workflow), one
// initial state, transitions between existing states, guards / conditions / values that compile
// within the allow-list and read real fields, roles that exist, actions that exist and fit their
// use, cron expressions a kept library parses, and a stateMapping that maps removed states onto
// current ones. Whether records sit in removed states needs the store: the workflow module's apply
// hook checks that inside the revision's transaction.

import { Cron } from 'croner';
import { compileExpression } from '../expressions/compile-expression.ts';
import { checkConditionType } from '../fields/expression-result-types.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import { checkTemplate } from '../expressions/render-template.ts';
import type { EntityDefinition, WorkflowDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { MetadataKind } from './metadata-kind.ts';

type Issues = IssueDetail[];

function fieldExists(entity: EntityDefinition, path: string): boolean {
  const root = path.split('.')[0]!;
  return Object.hasOwn(entity.fields, root) || systemFieldNames.has(root);
}

function checkExpression(entity: EntityDefinition | undefined, source: string | undefined, path: string, issues: Issues): void {
  if (source === undefined) return;
  const { expression, issues: found } = compileExpression(source, path);
  issues.push(...found);
  if (!expression || !entity) return;
  for (const name of expression.rootReferences) {
    if (!fieldExists(entity, name)) issues.push({ path, code: 'META_UNKNOWN_FIELD', message: `refers to "${name}", which is not a field of ${entity.name}` });
  }
}

/** Fields that hold a user id on every record. */
const userSystemFields = new Set(['owner', 'createdBy', 'updatedBy']);
/** Field types that may hold a user id: a user field, or text an older model keeps ids in. */
const userHoldingTypes = new Set(['user', 'text']);

/**
 * A path naming a user — a recipient, an approver: a user field (or text holding user ids) or
 * owner/createdBy/updatedBy, of the record or through at most two lookups
 * (`account.accountManager`). Anything else — a number, an option, a lookup's record id — names
 * no one at run time, or is taken for a user id that no user has.
 */
function checkUserPath(set: MetadataSet, entity: EntityDefinition, path: string, at: string, issues: Issues): void {
  const parts = path.split('.');
  let current: EntityDefinition = entity;
  for (const [i, name] of parts.entries()) {
    const def = Object.hasOwn(current.fields, name) ? current.fields[name] : undefined;
    if (!def && !systemFieldNames.has(name)) {
      issues.push({ path: at, code: 'META_UNKNOWN_FIELD', message: `refers to "${path}", which is not a field of ${entity.name} (nor a field reached through its lookups)` });
      return;
    }
    if (i === parts.length - 1) {
      if (!(def ? userHoldingTypes.has(def.type) : userSystemFields.has(name))) issues.push({ path: at, message: `"${path}" holds no user id: name a user field (or a text field holding user ids), owner, createdBy or updatedBy, through at most two lookups` });
      return;
    }
    const next = def?.type === 'lookup' && i < 2 ? set.entity(def.to) : undefined;
    if (!next) {
      issues.push({ path: at, message: `"${path}" holds no user id: name a user field (or a text field holding user ids), owner, createdBy or updatedBy, through at most two lookups` });
      return;
    }
    current = next;
  }
}

/** The fields of an entity that a workflow drives (its state fields). */
function drivenFields(set: MetadataSet, entity: string): Set<string> {
  return new Set(set.list('workflow').filter((w) => w['entity'] === entity && typeof w['field'] === 'string').map((w) => w['field'] as string));
}

function checkRole(set: MetadataSet, role: string, path: string, issues: Issues): void {
  if (!set.get('role', role)) issues.push({ path, code: 'META_UNKNOWN_ROLE', message: `refers to role "${role}", which does not exist` });
}

export const workflowKind: MetadataKind = {
  kind: 'workflow',
  plural: 'workflows',
  check(document, set) {
    const wf = document as unknown as WorkflowDefinition;
    const issues: Issues = [];
    const entity = set.entity(wf.entity);
    if (!entity) issues.push({ path: '/entity', message: `refers to entity "${wf.entity}", which does not exist` });
    const states = wf.states ?? {};
    const stateNames = new Set(Object.keys(states));
    checkField(wf, entity, set, issues);
    if (wf.states) {
      const initial = Object.entries(states).filter(([, s]) => s.initial).map(([n]) => n);
      if (initial.length !== 1) issues.push({ path: '/states', message: `exactly one state must be initial (found ${initial.length}${initial.length ? `: ${initial.join(', ')}` : ''})` });
      for (const [name, s] of Object.entries(states)) if (s.initial && s.final) issues.push({ path: `/states/${name}`, message: 'a state cannot be both initial and final' });
    }
    const actions = wf.actions ?? {};
    const knownAction = (name: string, path: string, allowSetFields = true): void => {
      const action = actions[name];
      if (!action) issues.push({ path, message: `refers to action "${name}", which is not defined in actions` });
      else if (!allowSetFields && action.type === 'setFields') issues.push({ path, message: `"${name}" sets fields: use it on a transition or a trigger, not here` });
    };
    for (const [name, t] of Object.entries(wf.transitions ?? {})) {
      const base = `/transitions/${name}`;
      const from = t.from === '*' ? [] : typeof t.from === 'string' ? [t.from] : t.from;
      from.forEach((s, i) => {
        const path = typeof t.from === 'string' ? `${base}/from` : `${base}/from/${i}`;
        if (!stateNames.has(s)) issues.push({ path, message: `refers to state "${s}", which does not exist` });
        else if (states[s]?.final) issues.push({ path, message: `"${s}" is final: no transition leaves it` });
      });
      if (!stateNames.has(t.to)) issues.push({ path: `${base}/to`, message: `refers to state "${t.to}", which does not exist` });
      checkExpression(entity, t.guard, `${base}/guard`, issues);
      // A guard lets the move through when it gives true — exactly true.
      if (entity && t.guard !== undefined && !issues.some((issue) => issue.path === `${base}/guard`)) {
        issues.push(...checkConditionType({ source: t.guard, entity, findEntity: (n) => (n === entity.name ? entity : set.entity(n)), path: `${base}/guard`, never: { en: 'this move would never be allowed', zh: '此流转永远不会被允许' } }));
      }
      (t.roles ?? []).forEach((r, i) => checkRole(set, r, `${base}/roles/${i}`, issues));
      (t.requiredFields ?? []).forEach((f, i) => {
        if (entity && !fieldExists(entity, f)) issues.push({ path: `${base}/requiredFields/${i}`, message: `refers to "${f}", which is not a field of ${entity.name}` });
      });
      (t.actions ?? []).forEach((a, i) => knownAction(a, `${base}/actions/${i}`));
      if (t.approval) {
        checkExpression(entity, t.approval.when, `${base}/approval/when`, issues);
        for (const [stepName, step] of Object.entries(t.approval.steps)) {
          const sp = `${base}/approval/steps/${stepName}`;
          checkExpression(entity, step.when, `${sp}/when`, issues);
          if (step.approver.role) checkRole(set, step.approver.role, `${sp}/approver/role`, issues);
          if (step.approver.field && entity) checkUserPath(set, entity, step.approver.field, `${sp}/approver/field`, issues);
        }
        (t.approval.rejectActions ?? []).forEach((a, i) => knownAction(a, `${base}/approval/rejectActions/${i}`, false));
      }
    }
    for (const [name, trigger] of Object.entries(wf.triggers ?? {})) {
      const base = `/triggers/${name}`;
      checkExpression(entity, 'when' in trigger ? trigger.when : undefined, `${base}/when`, issues);
      trigger.actions.forEach((a, i) => knownAction(a, `${base}/actions/${i}`));
      if (trigger.on === 'inState' && !stateNames.has(trigger.state)) issues.push({ path: `${base}/state`, message: `refers to state "${trigger.state}", which does not exist` });
      if (trigger.on === 'date' && entity) {
        const type = entity.fields[trigger.field]?.type;
        if (type !== 'date' && type !== 'datetime') issues.push({ path: `${base}/field`, message: `"${trigger.field}" must be a date or datetime field of ${entity.name}` });
      }
      if ((trigger.on === 'schedule' || trigger.on === 'date') && trigger.timezone !== undefined && !isTimeZone(trigger.timezone)) {
        issues.push({ path: `${base}/timezone`, message: `"${trigger.timezone}" is not a known IANA time zone` });
      }
      if (trigger.on === 'schedule' && trigger.segment !== undefined) {
        const segment = set.get('segment', trigger.segment);
        if (!segment || segment['entity'] !== wf.entity) issues.push({ path: `${base}/segment`, message: `"${trigger.segment}" is not a segment of ${wf.entity}` });
      }
      if (trigger.on === 'schedule') {
        try {
          new Cron(trigger.cron, { paused: true, ...(trigger.timezone ? { timezone: trigger.timezone } : {}) });
        } catch (error) {
          issues.push({ path: `${base}/cron`, code: 'META_CRON', message: `is not a valid cron expression or time zone: ${(error as Error).message}` });
        }
        if (trigger.filter !== undefined && entity) {
          for (const key of Object.keys(trigger.filter).filter((k) => !k.startsWith('$'))) {
            if (!fieldExists(entity, key)) issues.push({ path: `${base}/filter/${key}`, message: `refers to "${key}", which is not a field of ${entity.name}` });
          }
        }
      }
    }
    for (const [name, action] of Object.entries(actions)) checkAction(wf, name, action, entity, set, issues);
    for (const [from, to] of Object.entries(wf.stateMapping ?? {})) {
      if (stateNames.has(from)) issues.push({ path: `/stateMapping/${from}`, message: `"${from}" is still a state: only removed states are mapped` });
      if (!stateNames.has(to)) issues.push({ path: `/stateMapping/${from}`, message: `maps to "${to}", which is not a state` });
    }
    return issues;
  },
};

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function checkField(wf: WorkflowDefinition, entity: EntityDefinition | undefined, set: MetadataSet, issues: Issues): void {
  if (!wf.field || !entity) return;
  const field = entity.fields[wf.field];
  if (!field) {
    issues.push({ path: '/field', message: `refers to "${wf.field}", which is not a field of ${entity.name}` });
    return;
  }
  if (field.type !== 'picklist') {
    issues.push({ path: '/field', message: `"${wf.field}" must be a picklist whose options are the states` });
    return;
  }
  const options = new Set(Object.keys(field.options));
  const states = Object.keys(wf.states ?? {});
  const missing = states.filter((s) => !options.has(s));
  const extra = [...options].filter((o) => !states.includes(o));
  if (missing.length || extra.length) {
    issues.push({ path: '/field', message: `the options of ${entity.name}.${wf.field} must be the states${missing.length ? `; states without an option: ${missing.join(', ')}` : ''}${extra.length ? `; options that are no state: ${extra.join(', ')}` : ''}` });
  }
  const other = set.list('workflow').find((w) => w.name !== wf.name && w['entity'] === wf.entity && w['field'] === wf.field);
  if (other) issues.push({ path: '/field', message: `${entity.name}.${wf.field} is already driven by workflow "${other.name}"` });
}

function checkAction(wf: WorkflowDefinition, name: string, action: NonNullable<WorkflowDefinition['actions']>[string], entity: EntityDefinition | undefined, set: MetadataSet, issues: Issues): void {
  const base = `/actions/${name}`;
  checkExpression(entity, action.when, `${base}/when`, issues);
  switch (action.type) {
    case 'setFields':
      for (const [field, source] of Object.entries(action.values)) {
        const path = `${base}/values/${field}`;
        if (entity && !Object.hasOwn(entity.fields, field)) issues.push({ path, message: `"${field}" is not a field of ${entity.name}` });
        else if (field === wf.field) issues.push({ path, message: `"${field}" is the state field: change it with a transition` });
        else if (entity && ['formula', 'rollup', 'autonumber'].includes(entity.fields[field]!.type)) issues.push({ path, message: `"${field}" is computed and cannot be set` });
        checkExpression(entity, source, path, issues);
      }
      break;
    case 'createRecord': {
      const target = set.entity(action.entity);
      if (!target) issues.push({ path: `${base}/entity`, message: `refers to entity "${action.entity}", which does not exist` });
      // What the record write will refuse at run time is refused here: a field the target lacks, a
      // computed or workflow-driven one, and a required field left without a value or a default.
      const driven = target ? drivenFields(set, target.name) : new Set<string>();
      for (const [field, source] of Object.entries(action.values)) {
        const path = `${base}/values/${field}`;
        if (target && !Object.hasOwn(target.fields, field)) issues.push({ path, message: `"${field}" is not a field of ${action.entity}` });
        else if (target && driven.has(field)) issues.push({ path, message: `"${field}" is driven by a workflow of ${target.name}: a new record starts in its initial state` });
        else if (target && ['formula', 'rollup', 'autonumber'].includes(target.fields[field]!.type)) issues.push({ path, message: `"${field}" is computed and cannot be set` });
        checkExpression(entity, source, path, issues);
      }
      for (const [field, def] of Object.entries(target?.fields ?? {})) {
        const d = def as unknown as Record<string, unknown>;
        if (d['required'] !== true || Object.hasOwn(action.values, field) || driven.has(field)) continue;
        if (d['default'] !== undefined || d['defaultExpression'] !== undefined || d['defaultToCurrentUser'] === true) continue;
        issues.push({ path: `${base}/values`, message: `gives no value for "${field}", a required field of ${target!.name} without a default` });
      }
      break;
    }
    case 'updateRelated': {
      if (action.values === undefined && action.transition === undefined) issues.push({ path: base, message: 'sets no fields and takes no transition: give values, a transition or both' });
      const lookup = entity?.fields[action.via];
      if (entity && lookup?.type !== 'lookup') {
        issues.push({ path: `${base}/via`, message: `"${action.via}" is not a lookup field of ${entity.name}` });
        break;
      }
      const target = lookup?.type === 'lookup' ? set.entity(lookup.to) : undefined;
      if (!target) break;
      const driven = new Set(set.list('workflow').filter((w) => w['entity'] === target.name && typeof w['field'] === 'string').map((w) => w['field'] as string));
      for (const [field, source] of Object.entries(action.values ?? {})) {
        const path = `${base}/values/${field}`;
        if (!Object.hasOwn(target.fields, field)) issues.push({ path, message: `"${field}" is not a field of ${target.name}` });
        else if (driven.has(field)) issues.push({ path, message: `"${field}" is driven by a workflow of ${target.name}: take a transition instead` });
        else if (['formula', 'rollup', 'autonumber'].includes(target.fields[field]!.type)) issues.push({ path, message: `"${field}" is computed and cannot be set` });
        checkExpression(entity, source, path, issues);
      }
      if (action.transition !== undefined) {
        const found = set.list('workflow').some((w) => w['entity'] === target.name && Object.hasOwn((w['transitions'] ?? {}) as object, action.transition!));
        if (!found) issues.push({ path: `${base}/transition`, message: `no workflow of ${target.name} has a transition "${action.transition}"` });
      }
      break;
    }
    case 'notify':
      (action.to.roles ?? []).forEach((r, i) => checkRole(set, r, `${base}/to/roles/${i}`, issues));
      (action.to.fields ?? []).forEach((f, i) => {
        if (entity) checkUserPath(set, entity, f, `${base}/to/fields/${i}`, issues);
      });
      for (const [key, text] of [['subject', action.subject], ['body', action.body]] as const) {
        if (text === undefined) continue;
        const variants = typeof text === 'string' ? { '': text } : text;
        for (const [locale, value] of Object.entries(variants)) {
          if (typeof value !== 'string') continue;
          const path = `${base}/${key}${locale ? `/${locale}` : ''}`;
          const { issues: found, references } = checkTemplate(value, path);
          issues.push(...found);
          for (const ref of references) if (entity && !fieldExists(entity, ref)) issues.push({ path, message: `refers to "${ref}", which is not a field of ${entity.name}` });
        }
      }
      break;
    case 'webhook':
      checkRole(set, action.role, `${base}/role`, issues);
      break;
    case 'startApproval':
    case 'transition': {
      const t = wf.transitions?.[action.transition];
      if (!t) issues.push({ path: `${base}/transition`, message: `refers to transition "${action.transition}", which does not exist` });
      else if (action.type === 'startApproval' && !t.approval) issues.push({ path: `${base}/transition`, message: `transition "${action.transition}" has no approval` });
      break;
    }
  }
}
