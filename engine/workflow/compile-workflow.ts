// workflow/: business processes as metadata. This file turns a workflow document into a frozen
// CompiledWorkflow (states, transitions with their resolved `from` sets and granted roles, compiled
// guards and conditions, triggers with parsed durations), cached per compiled model so nothing is
// compiled per request.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { compileExpression, type CompiledExpression } from '../expressions/compile-expression.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type {
  ApprovalStep, RoleDefinition, WorkflowAction, WorkflowDefinition, WorkflowState, WorkflowTransition, WorkflowTrigger,
} from '../metadata/generated/metadata.ts';
import { parseDuration } from './durations.ts';

export interface CompiledStep {
  readonly name: string;
  readonly label: LocalizedText;
  readonly approver: { role?: string; user?: string; field?: string };
  readonly when?: CompiledExpression;
}

export interface CompiledApproval {
  readonly when?: CompiledExpression;
  /** Steps in order (by `order`, then name). */
  readonly steps: readonly CompiledStep[];
  readonly rejectActions: readonly string[];
}

export interface CompiledTransition {
  readonly name: string;
  readonly definition: WorkflowTransition;
  readonly label: LocalizedText;
  readonly from: ReadonlySet<string>;
  readonly to: string;
  readonly guard?: CompiledExpression;
  readonly guardMessage?: LocalizedText;
  /** Roles named by the transition plus roles whose permissions grant it; empty means any updater. */
  readonly roles: ReadonlySet<string>;
  readonly requiredFields: readonly string[];
  readonly comment: 'none' | 'optional' | 'required';
  readonly actions: readonly string[];
  readonly approval?: CompiledApproval;
  readonly order: number;
}

export interface CompiledTrigger {
  readonly name: string;
  readonly definition: WorkflowTrigger;
  readonly when?: CompiledExpression;
  /** inState: `after` and `repeatEvery` in ms; date: `offset` in ms. */
  readonly afterMs?: number;
  readonly repeatMs?: number;
  readonly offsetMs?: number;
}

export interface CompiledAction {
  readonly name: string;
  readonly definition: WorkflowAction;
  readonly when?: CompiledExpression;
  /** setFields / createRecord / updateRelated values, compiled. */
  readonly values?: ReadonlyMap<string, CompiledExpression>;
}

export interface CompiledWorkflow {
  readonly name: string;
  readonly entity: string;
  readonly definition: WorkflowDefinition;
  /** The driven field; absent for automations without states. */
  readonly field?: string;
  readonly states: ReadonlyMap<string, WorkflowState>;
  readonly initial?: string;
  readonly finals: ReadonlySet<string>;
  readonly transitions: ReadonlyMap<string, CompiledTransition>;
  readonly triggers: readonly CompiledTrigger[];
  readonly actions: ReadonlyMap<string, CompiledAction>;
}

function expression(source: string | undefined, path: string): CompiledExpression | undefined {
  if (source === undefined) return undefined;
  const { expression: compiled, issues } = compileExpression(source, path);
  if (!compiled) throw new Error(`workflow passed its checks but ${path} does not compile: ${issues[0]?.message}`);
  return compiled;
}

/** Roles whose permissions grant a transition of this workflow (`permissions.{entity}.transitions`). */
function grantingRoles(workflow: WorkflowDefinition, transition: string, roles: readonly RoleDefinition[]): string[] {
  return roles
    .filter((role) => {
      const granted = role.permissions?.[workflow.entity]?.transitions?.[workflow.name];
      return granted === '*' || (Array.isArray(granted) && granted.includes(transition));
    })
    .map((role) => role.name);
}

export function fromStates(from: WorkflowTransition['from'], states: ReadonlyMap<string, WorkflowState>): Set<string> {
  if (from === '*') return new Set([...states].filter(([, s]) => !s.final).map(([name]) => name));
  return new Set(typeof from === 'string' ? [from] : from);
}

export function compileWorkflow(definition: WorkflowDefinition, roles: readonly RoleDefinition[] = []): CompiledWorkflow {
  const states = new Map(Object.entries(definition.states ?? {}));
  const transitions = new Map<string, CompiledTransition>();
  for (const [name, t] of Object.entries(definition.transitions ?? {})) {
    const base = `/transitions/${name}`;
    const approval = t.approval
      ? {
          when: expression(t.approval.when, `${base}/approval/when`),
          steps: Object.entries(t.approval.steps)
            .sort(([an, a], [bn, b]) => a.order - b.order || an.localeCompare(bn))
            .map(([stepName, step]: [string, ApprovalStep]) => Object.freeze({
              name: stepName,
              label: step.label,
              approver: step.approver as CompiledStep['approver'],
              ...(step.when ? { when: expression(step.when, `${base}/approval/steps/${stepName}/when`) } : {}),
            })),
          rejectActions: t.approval.rejectActions ?? [],
        }
      : undefined;
    transitions.set(name, Object.freeze({
      name,
      definition: t,
      label: t.label,
      from: fromStates(t.from, states),
      to: t.to,
      ...(t.guard ? { guard: expression(t.guard, `${base}/guard`) } : {}),
      ...(t.guardMessage ? { guardMessage: t.guardMessage } : {}),
      roles: new Set([...(t.roles ?? []), ...grantingRoles(definition, name, roles)]),
      requiredFields: t.requiredFields ?? [],
      comment: t.comment ?? 'optional',
      actions: t.actions ?? [],
      ...(approval ? { approval: Object.freeze(approval) as CompiledApproval } : {}),
      order: t.order ?? 0,
    }));
  }
  const triggers: CompiledTrigger[] = Object.entries(definition.triggers ?? {}).map(([name, trigger]) => {
    const when = 'when' in trigger ? expression(trigger.when, `/triggers/${name}/when`) : undefined;
    return Object.freeze({
      name,
      definition: trigger,
      ...(when ? { when } : {}),
      ...(trigger.on === 'inState' ? { afterMs: parseDuration(trigger.after), ...(trigger.repeatEvery ? { repeatMs: parseDuration(trigger.repeatEvery) } : {}) } : {}),
      ...(trigger.on === 'date' ? { offsetMs: parseDuration(trigger.offset) } : {}),
    });
  });
  const actions = new Map<string, CompiledAction>();
  for (const [name, action] of Object.entries(definition.actions ?? {})) {
    const values = 'values' in action && action.values ? new Map(Object.entries(action.values).map(([field, source]) => [field, expression(source, `/actions/${name}/values/${field}`)!])) : undefined;
    actions.set(name, Object.freeze({ name, definition: action, ...(action.when ? { when: expression(action.when, `/actions/${name}/when`) } : {}), ...(values ? { values } : {}) }));
  }
  const initial = [...states].find(([, s]) => s.initial)?.[0];
  return Object.freeze({
    name: definition.name,
    entity: definition.entity,
    definition,
    ...(definition.field ? { field: definition.field } : {}),
    states,
    ...(initial ? { initial } : {}),
    finals: new Set([...states].filter(([, s]) => s.final).map(([n]) => n)),
    transitions,
    triggers,
    actions,
  });
}

const cache = new WeakMap<CompiledModel, ReadonlyMap<string, CompiledWorkflow>>();

/** Every workflow of a compiled model, compiled once per model (revision). */
export function workflowsOf(model: CompiledModel): ReadonlyMap<string, CompiledWorkflow> {
  let found = cache.get(model);
  if (!found) {
    const roles = model.set.list('role') as unknown as RoleDefinition[];
    found = new Map(model.set.list('workflow').map((doc) => [doc.name, compileWorkflow(doc as unknown as WorkflowDefinition, roles)]));
    cache.set(model, found);
  }
  return found;
}

export function workflowsForEntity(model: CompiledModel, entity: string): CompiledWorkflow[] {
  return [...workflowsOf(model).values()].filter((w) => w.entity === entity);
}

/** The workflow driving a state field of an entity (at most one per field). */
export function stateWorkflowsForEntity(model: CompiledModel, entity: string): CompiledWorkflow[] {
  return workflowsForEntity(model, entity).filter((w) => w.field !== undefined);
}
