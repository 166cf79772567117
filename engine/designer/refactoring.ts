// What every refactoring route shares: reading its body, and the one dry run. A refactoring is the
// documents it changes plus its own record changes (`migrate`); the dry run prepares the documents,
// then rehearses `migrate` and the apply hooks in a transaction it rolls back (runtime/dry-run.ts),
// and apply runs the same `migrate` in the transaction that commits the revision.

import type { Request } from 'express';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { publicDetail } from '../kernel/detail-text.ts';
import type { Locale } from '../kernel/i18n.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import { dryRunChange } from '../runtime/dry-run.ts';
import type { RequestedChange } from '../runtime/model-runtime.ts';
import type { RevisionOperation } from '../metadata/revision-operation.ts';
import type { EngineServices } from '../capability/engine-module.ts';
import type { StoreReader, StoreTransaction } from '../store/store-port.ts';

export const badRequest = (path: string, message: string) => new CrmError('BAD_REQUEST', undefined, [{ path, message }]);

export function objectBody(req: Request): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw badRequest('', 'must be a JSON object');
  return req.body as Record<string, unknown>;
}

export function stringAt(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw badRequest(`/${key}`, 'must be a non-empty string');
  return value;
}

export function applyFlag(body: Record<string, unknown>): boolean {
  const apply = body['apply'] ?? false;
  if (typeof apply !== 'boolean') throw badRequest('/apply', 'must be true or false');
  return apply;
}

export interface Refactoring<C> {
  requested: RequestedChange[];
  /** What the revision does, as data (its English message derives from it). */
  operation: RevisionOperation;
  /** The records' side: writes through a transaction (apply, or the dry run's rehearsal), only counts with write false. */
  migrate(store: StoreReader | StoreTransaction, write: boolean, model: CompiledModel): Promise<C>;
  /**
   * Refusals the request asked for over the counts (a type change with onFailure "refuse" over
   * failing values), at the request's pointers: they make the dry run invalid, and apply refuses
   * with them (CONFLICT) — checked again on the counts of the commit's own transaction.
   */
  refuse?(counts: C): IssueDetail[];
}

export interface RefactoringResult<C> {
  valid: boolean;
  /** Located as /{kind}/{name}/… in the caller's language. */
  issues: IssueDetail[];
  /** What apply does (or did) to the records. Null when the documents do not check. */
  counts: C | null;
  revision?: number;
}

/** The dry run (apply false) or the change as one revision (apply true; refused with the dry run's issues). */
export async function runRefactoring<C>(engine: Pick<EngineServices, 'runtime' | 'store' | 'clock'>, args: { refactoring: Refactoring<C>; apply: boolean; by: string; locale: Locale }): Promise<RefactoringResult<C>> {
  const { refactoring, by, locale } = args;
  const prepared = engine.runtime.prepare(refactoring.requested);
  const model = prepared.model;
  const rehearsed: { counts?: C } = {};
  const report = await dryRunChange(engine, prepared, by, model ? async (tx) => void (rehearsed.counts = await refactoring.migrate(tx, true, model)) : undefined);
  const issues = report.issues.map(({ kind, name, path, ...rest }) => ({ ...publicDetail(rest, locale), path: `/${kind}/${name}${path}` }));
  // A store that cannot roll back does not rehearse: count without writing.
  const counts = rehearsed.counts ?? (model ? await refactoring.migrate(engine.store, false, model) : null);
  const localized = (details: IssueDetail[]) => details.map((i) => publicDetail(i, locale));
  const refused = counts !== null && refactoring.refuse ? localized(refactoring.refuse(counts)) : [];
  if (!args.apply) return { valid: report.valid && refused.length === 0, issues: [...issues, ...refused], counts };
  if (!report.valid || !model) throw new CrmError('INVALID_METADATA', undefined, issues);
  if (refused.length > 0) throw new CrmError('CONFLICT', undefined, refused);
  const applied: { counts?: C } = {};
  const next = await engine.runtime.apply(prepared, {
    by,
    operation: refactoring.operation,
    migrate: async (tx, m) => {
      applied.counts = await refactoring.migrate(tx, true, m);
      const late = refactoring.refuse?.(applied.counts) ?? [];
      if (late.length > 0) throw new CrmError('CONFLICT', undefined, localized(late));
    },
  });
  return { valid: true, issues: [], counts: applied.counts ?? null, revision: next.revision };
}
