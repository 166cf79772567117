// The one dry run of a metadata change. POST /api/meta/validate, `crm meta apply --dry-run` and
// every apply ask the same questions in the same order — the documents' checks (prepare), unique
// indexes over existing duplicates, then what apply does to the records (removed fields' values
// taken out, the apply hooks: records in removed workflow states, computed fields) in a transaction
// that is rolled back — so a dry run that says valid is followed by an apply that succeeds, and a
// refusal lists the issues apply refuses with. It also reports, without refusing, how many stored
// records the new rules would refuse on their next write, and how many hold a value for a field
// the change removes (counted before apply takes those values out), and how many the change puts in a
// workflow state (records without a state start in a new workflow's initial one; stateMapping moves).

import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { checkExistingRecords, countRemovedValues, withRemovedValues, withStateMoves, type RecordImpact } from '../records/check-existing-records.ts';
import { removeStaleValues } from '../records/remove-field-values.ts';
import { systemContext } from '../records/request-context.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Store, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { checkTypeChangeIssues } from './check-type-changes.ts';
import { checkUniqueIndexIssues, type UniqueIndexIssue } from './check-unique-indexes.ts';
import type { ModelRuntime, PreparedChange } from './model-runtime.ts';

export interface ChangeIssue extends IssueDetail {
  kind: string;
  name: string;
}

export interface DryRunReport {
  valid: boolean;
  baseRevision: number;
  /** Why apply would refuse the change, each in the document it belongs to. Empty when valid. */
  issues: ChangeIssue[];
  changes: { kind: string; name: string; action: 'create' | 'update' | 'delete' }[];
  /** Per changed entity: stored records the new definition would refuse on their next write. */
  impact: RecordImpact[];
  /** New unique indexes that records already sharing a value would break (also in issues). */
  uniqueIndexes: UniqueIndexIssue[];
}

class Rollback extends Error {}

/** Issues located as /{kind}/{name}/… (apply hooks locate theirs so) back in their document. */
export function locateIssues(details: readonly IssueDetail[]): ChangeIssue[] {
  return details.map((d) => {
    const [, kind = '', name = '', rest = ''] = /^\/([a-z]+)\/([^/]+)(.*)$/.exec(d.path) ?? [];
    return { ...d, kind, name, path: rest };
  });
}

/**
 * `migrate`: a refactoring's own record changes (apply's `migrate`), rehearsed before the hooks in
 * the same rolled-back transaction — so what it counts there is what apply will do.
 */
export async function dryRunChange(deps: { runtime: ModelRuntime; store: Store; clock: Clock }, prepared: PreparedChange, by: string, migrate?: (tx: StoreTransaction) => Promise<void>): Promise<DryRunReport> {
  const { runtime, store, clock } = deps;
  // The model the change starts from, taken before any await (another apply may land meanwhile).
  const previous = runtime.model;
  const report: DryRunReport = {
    valid: false,
    baseRevision: prepared.baseRevision,
    issues: prepared.issues.flatMap((entry) => entry.issues.map((issue) => ({ kind: entry.kind, name: entry.name, ...issue }))),
    changes: prepared.changes.map(({ kind, name, action }) => ({ kind, name, action })),
    impact: [],
    uniqueIndexes: [],
  };
  const model = prepared.model;
  if (!model || report.issues.length > 0) return report;
  const unique = await checkUniqueIndexIssues(store, runtime.model, model);
  report.uniqueIndexes = unique.clashes;
  report.issues.push(...unique.issues.flatMap((entry) => entry.issues.map((issue) => ({ kind: entry.kind, name: entry.name, ...issue }))));
  // As apply: a plain change that retypes a field must not strand its values (a refactoring's migrate converts them).
  if (!migrate) report.issues.push(...(await checkTypeChangeIssues(store, runtime.model, model, model.entities.keys())).flatMap((entry) => entry.issues.map((issue) => ({ kind: entry.kind, name: entry.name, ...issue }))));
  const changed = changedEntities(prepared);
  const impactOn = async (reader: Pick<StoreReader, 'find' | 'get'>) => {
    const ctx = systemContext({ reason: 'metadata-dry-run', clock, model });
    const out: RecordImpact[] = [];
    for (const name of changed) {
      const entity = model.entities.get(name);
      if (entity) out.push(await checkExistingRecords(reader, ctx, entity));
    }
    return out;
  };
  if (report.issues.length === 0 && store.atomicTransactions) {
    // The apply hooks run for real, then everything is rolled back: the records as apply leaves them.
    try {
      await store.transaction(async (tx) => {
        // As apply: a refactoring sets the fields it adds itself.
        if (migrate) await migrate(tx);
        else await removeStaleValues({ tx, previous, next: model, revision: model.revision });
        const removed = await countRemovedValues(tx, previous, model, changed);
        const moves = await runtime.runApplyHooks(prepared, tx, by);
        report.impact = withStateMoves(withRemovedValues(await impactOn(tx), removed), moves);
        throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) {
        if (!(error instanceof CrmError)) throw error;
        report.issues.push(...locateIssues(error.details.length > 0 ? error.details : [{ path: '', message: error.message }]));
      }
    }
  }
  if (report.issues.length > 0 || !store.atomicTransactions) {
    report.impact = await impactOn(store);
    // Without the refactoring's record changes applied, a renamed field's values would count as lost.
    if (!migrate) report.impact = withRemovedValues(report.impact, await countRemovedValues(store, previous, model, changed));
  }
  report.valid = report.issues.length === 0;
  return report;
}

/** Entities whose definition changes, or whose forms, views or workflows do. */
function changedEntities(prepared: PreparedChange): string[] {
  const names = new Set<string>();
  for (const change of prepared.changes) {
    if (change.action !== 'update' && !(change.action === 'create' && change.kind !== 'entity')) continue;
    names.add(change.kind === 'entity' ? change.name : String((change.after ?? change.before)?.['entity'] ?? ''));
  }
  names.delete('');
  return [...names];
}
