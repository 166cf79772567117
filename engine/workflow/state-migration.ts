// A workflow change that removes states records still sit in: refused — naming the states and
// counting the records — unless `stateMapping` sends each such state to a current one; then the
// records move in the same transaction as the new revision (all or nothing), each with an audit
// entry and a new stay in the state history. Runs as a ModelRuntime apply hook. Likewise, when a
// workflow starts driving a field of an entity that has records, those without a value start in
// the initial state.

import { appendAudit } from '../records/audit-trail.ts';
import { keepMatchKeys } from '../records/match-keys.ts';
import type { StateMove } from '../records/check-existing-records.ts';
import { andFilters, internalField, type FilterNode } from '../filter/filter-tree.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import type { ApplyHook } from '../runtime/model-runtime.ts';
import { stateWorkflowsForEntity, workflowsOf } from './compile-workflow.ts';
import { recordStateChange } from './state-history.ts';
import type { WorkflowDeps } from './workflow-deps.ts';
import { enqueueStateJobs } from './workflow-jobs.ts';

export function createStateMigrationHook(deps: Pick<WorkflowDeps, 'scheduler' | 'clock'>): ApplyHook {
  return (args) => migrateStates(deps, args);
}

async function migrateStates(deps: Pick<WorkflowDeps, 'scheduler' | 'clock'>, { tx, previous, next, revision, by, at }: Parameters<ApplyHook>[0]): Promise<StateMove[]> {
  const issues: IssueDetail[] = [];
  const moves: { entity: string; workflow: string; field: string; from: string; to: string; filter: FilterNode }[] = [];
  for (const before of workflowsOf(previous).values()) {
    if (!before.field) continue;
    const after = workflowsOf(next).get(before.name) ?? stateWorkflowsForEntity(next, before.entity).find((w) => w.field === before.field);
    const entity = previous.entities.get(before.entity);
    if (!entity || !next.entities.has(before.entity)) continue;
    const field = entity.filterables.get(before.field) ?? internalField(before.field);
    for (const state of before.states.keys()) {
      if (after?.states.has(state) && after.field === before.field) continue;
      const filter: FilterNode = andFilters({ kind: 'compare', field, op: '$eq', value: state });
      const count = await tx.count(entity.name, filter);
      if (count === 0) continue;
      const target = after?.definition.stateMapping?.[state];
      if (!after) {
        issues.push({ path: `/workflow/${before.name}`, code: 'WF_STATE_IN_USE', message: `removing workflow "${before.name}" leaves ${count} ${entity.name} record(s) in state "${state}"; keep the workflow or move them first` });
      } else if (target === undefined || !after.states.has(target)) {
        issues.push({ path: `/workflow/${after.name}/stateMapping/${state}`, code: 'WF_STATE_IN_USE', message: `${count} ${entity.name} record(s) are in state "${state}", which this change removes: map it to a current state in stateMapping` });
      } else {
        moves.push({ entity: entity.name, workflow: after.name, field: before.field, from: state, to: target, filter });
      }
    }
  }
  if (issues.length > 0) throw new CrmError('INVALID_METADATA', { en: 'Records sit in states this change removes', zh: '有记录处于将被删除的状态' }, issues);
  const when = at.toISOString();
  // A field a workflow starts to drive: records without a value start in the initial state.
  for (const after of workflowsOf(next).values()) {
    if (!after.field || !after.initial) continue;
    const drivenBefore = [...workflowsOf(previous).values()].some((w) => w.entity === after.entity && w.field === after.field);
    const entity = next.entities.get(after.entity);
    if (drivenBefore || !entity || !previous.entities.has(after.entity)) continue;
    const field = entity.filterables.get(after.field) ?? internalField(after.field);
    moves.push({ entity: entity.name, workflow: after.name, field: after.field, from: '', to: after.initial, filter: { kind: 'exists', field, exists: false } });
  }
  const moved: StateMove[] = [];
  for (const move of moves) {
    let records = 0;
    for (;;) {
      const batch = await tx.find(move.entity, { filter: move.filter, sort: [], limit: 500 });
      if (batch.length === 0) break;
      for (const row of batch) {
        const data = { ...row.data, [move.field]: move.to, updatedAt: when, updatedBy: by };
        if (!(await tx.replace(move.entity, { id: row.id, version: row.version + 1, revision, data }, row.version))) throw new CrmError('CONFLICT', 'A record changed during the migration; retry');
        // A duplicate rule over the state field: its key follows the state (when the field's definition
        // did not change, refreshMatchKeys rebuilds nothing).
        const entity = next.entities.get(move.entity);
        if (entity) await keepMatchKeys(tx, entity, row.id, data, row.data);
        records++;
        const initial = move.from === '';
        await appendAudit(tx, {
          entity: move.entity, recordId: row.id, action: initial ? 'workflow.initialState' : 'workflow.stateMapping', at: when, by, revision,
          changes: { [move.field]: initial ? { after: move.to } : { before: move.from, after: move.to } }, details: { workflow: move.workflow, ...(initial ? {} : { from: move.from }), to: move.to },
        });
        const stayId = await recordStateChange(tx, { workflow: move.workflow, entity: move.entity, recordId: row.id, state: move.to, at: when, by, ...(initial ? {} : { via: 'stateMapping' }) });
        // SLA clocks of the state the records now sit in start with the move.
        const workflow = workflowsOf(next).get(move.workflow);
        if (workflow) await enqueueStateJobs({ deps, tx, workflow, entity: move.entity, recordId: row.id, state: move.to, stayId, enteredAt: when });
      }
    }
    if (records > 0) moved.push({ entity: move.entity, workflow: move.workflow, field: move.field, ...(move.from === '' ? {} : { from: move.from }), to: move.to, records });
  }
  return moved;
}
