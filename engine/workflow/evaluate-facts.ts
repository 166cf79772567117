// The impure half of a transition: evaluates, for one record, what the pure core needs to know —
// the guard, the required fields still missing after the move's setFields, whether the approval
// applies and which of its steps — with the bounded JSONata evaluator.

import { hasValue } from '../kernel/has-value.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import type { CompiledExpression } from '../expressions/compile-expression.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import { detailMessage } from '../kernel/detail-text.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { CompiledTransition, CompiledWorkflow } from './compile-workflow.ts';
import type { TransitionFacts } from './transition.ts';

export async function isTrue(expression: CompiledExpression | undefined, input: unknown, clock: Clock, origin: string): Promise<boolean> {
  if (!expression) return true;
  return (await evaluateExpression(expression, input, { clock, origin })) === true;
}

/** Why an expression failed, in every language (the reason is read by whoever takes the transition). */
export function expressionErrorText(error: unknown): { en: string; zh: string } {
  if (error instanceof CrmError) {
    const detail = error.details[0];
    return detail ? { en: detailMessage(detail, 'en'), zh: detailMessage(detail, 'zh') } : { en: error.localizedMessage('en'), zh: error.localizedMessage('zh') };
  }
  const message = (error as Error).message ?? String(error);
  return { en: message, zh: message };
}

/** The values the named setFields actions give, over the record (each action sees the previous ones' result). */
export async function computeSetFields(workflow: CompiledWorkflow, actionNames: readonly string[], record: RecordValues, clock: Clock): Promise<RecordValues> {
  const patch: RecordValues = {};
  let current = record;
  for (const name of actionNames) {
    const action = workflow.actions.get(name);
    if (action?.definition.type !== 'setFields' || !action.values) continue;
    if (!(await isTrue(action.when, current, clock, `/actions/${name}/when`))) continue;
    for (const [field, expression] of action.values) {
      const value = await evaluateExpression(expression, current, { clock, origin: `/actions/${name}/values/${field}` });
      patch[field] = value === undefined ? null : value;
    }
    current = { ...current, ...patch };
  }
  return patch;
}

export async function evaluateFacts(args: { workflow: CompiledWorkflow; transition: CompiledTransition; record: RecordValues; clock: Clock; resolveField?: (path: string) => Promise<unknown> }): Promise<TransitionFacts> {
  const { workflow, transition: t, record, clock } = args;
  const base = `/transitions/${t.name}`;
  let guard: TransitionFacts['guard'];
  try {
    guard = await isTrue(t.guard, record, clock, `${base}/guard`);
  } catch (error) {
    guard = { error: expressionErrorText(error) };
  }
  let after = record;
  try {
    after = { ...record, ...(await computeSetFields(workflow, t.actions, record, clock)) };
  } catch {
    // an action that fails is reported when the move is taken; here the record as it is counts
  }
  const missingFields = t.requiredFields.filter((f) => !hasValue(after[f]));
  let approvalNeeded = false;
  const applicableSteps: string[] = [];
  const stepApprovers: Record<string, string | undefined> = {};
  if (t.approval) {
    try {
      approvalNeeded = await isTrue(t.approval.when, record, clock, `${base}/approval/when`);
      for (const step of t.approval.steps) {
        if (await isTrue(step.when, record, clock, `${base}/approval/steps/${step.name}/when`)) applicableSteps.push(step.name);
        if (step.approver.field) {
          const value = args.resolveField ? await args.resolveField(step.approver.field) : record[step.approver.field];
          stepApprovers[step.name] = typeof value === 'string' ? value : undefined;
        }
      }
    } catch (error) {
      guard = { error: expressionErrorText(error) };
    }
  }
  return { guard, missingFields, approvalNeeded, applicableSteps, stepApprovers };
}
