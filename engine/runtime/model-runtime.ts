// runtime/: the live model. Loads the latest metadata revision, prepares changes (check, compile,
// diff), applies them as a new revision (indexes first, then the revision, then an atomic swap),
// and notices revisions written by another process on the same store.

import jsonMergePatch from 'json-merge-patch';
import { compileModel } from '../compile/compile-model.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import type { DocumentIssues } from '../kinds/check-metadata.ts';
import { checkChanges } from '../kinds/check-changes.ts';
import { adminLayer, composeLayers, type EffectiveItem, type ItemChange, type ItemRow, type LayerWrite, MetadataRepository, metadataCollections } from '../metadata/metadata-repository.ts';
import { type MetadataDocument, MetadataSet, type Origin } from '../metadata/metadata-set.ts';
import type { StateMove } from '../records/check-existing-records.ts';
import { removeDroppedValues, removeStaleValues } from '../records/remove-field-values.ts';
import type { Store, StoreTransaction } from '../store/store-port.ts';
import { checkTypeChangeIssues } from './check-type-changes.ts';
import { checkUniqueIndexIssues } from './check-unique-indexes.ts';
import { syncEntityCollections } from './sync-collections.ts';
import { operationMessage, type RevisionOperation } from '../metadata/revision-operation.ts';

/** One requested change: put a document, or remove an item (document undefined). */
export interface RequestedChange {
  kind: string;
  name: string;
  document: MetadataDocument | undefined;
  /** The layer written: the admin overlay unless a template installs its base. */
  layer?: string;
  origin?: Origin;
}

export interface PreparedChange {
  baseRevision: number;
  set: MetadataSet;
  model: CompiledModel | undefined;
  issues: DocumentIssues[];
  changes: ItemChange[];
  writes: LayerWrite[];
}

/**
 * Runs inside the transaction that commits a new revision, before it commits: checks that need the
 * records (e.g. how many sit in a workflow state the change removes) and the data migrations the
 * change brings (moving them to their mapped state). Throwing (a CrmError) refuses the whole change.
 */
/** What apply does to the records for one concern; the records it moves into workflow states are reported to the dry run. */
export type ApplyHook = (args: { tx: StoreTransaction; previous: CompiledModel; next: CompiledModel; revision: number; by: string; at: Date }) => Promise<StateMove[] | void>;

const key = (kind: string, name: string): string => `${kind}/${name}`;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export class ModelRuntime {
  private currentModel: CompiledModel;
  private items: Map<string, EffectiveItem>;
  private applying: Promise<unknown> = Promise.resolve();
  private lastRefreshCheck = 0;
  /**
   * How often a request checks the store for a revision another process committed: 1 s by
   * default; 0 (every request) for a cluster worker, whose siblings serve the same clients.
   */
  refreshIntervalMs = 1000;
  private readonly applyHooks: ApplyHook[] = [];
  readonly repository: MetadataRepository;

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    repository: MetadataRepository,
    model: CompiledModel,
    items: Map<string, EffectiveItem>,
  ) {
    this.repository = repository;
    this.currentModel = model;
    this.items = items;
  }

  static async open(store: Store, clock: Clock): Promise<ModelRuntime> {
    for (const spec of metadataCollections) await store.syncCollection(spec);
    const repository = new MetadataRepository(store);
    const { model, items } = await ModelRuntime.loadLatest(repository);
    await syncEntityCollections(store, undefined, model);
    return new ModelRuntime(store, clock, repository, model, items);
  }

  private static async loadLatest(repository: MetadataRepository): Promise<{ model: CompiledModel; items: Map<string, EffectiveItem> }> {
    const revision = await repository.latestRevision();
    const items = await repository.loadItems();
    const set = new MetadataSet([...items.values()].map((i) => i.document));
    return { model: compileModel(set, revision).model, items };
  }

  /** The model a request works on: take it once at the start of the request. */
  get model(): CompiledModel {
    return this.currentModel;
  }

  findItem(kind: string, name: string): EffectiveItem | undefined {
    return this.items.get(key(kind, name));
  }

  /** Adds a check-and-migrate step to every apply (workflows use it for removed states). */
  addApplyHook(hook: ApplyHook): void {
    this.applyHooks.push(hook);
  }

  /**
   * What apply does to the records after a refactoring's own changes, in the caller's transaction —
   * a dry run's, which it rolls back: removed fields' values taken out, then the apply hooks.
   */
  async runApplyHooks(prepared: PreparedChange, tx: StoreTransaction, by: string): Promise<StateMove[]> {
    if (!prepared.model) return [];
    await removeDroppedValues({ tx, previous: this.currentModel, next: prepared.model, revision: prepared.model.revision });
    const moves: StateMove[] = [];
    for (const hook of this.applyHooks) moves.push(...((await hook({ tx, previous: this.currentModel, next: prepared.model, revision: prepared.model.revision, by, at: this.clock.now() })) ?? []));
    return moves;
  }

  /**
   * Picks up revisions another process committed; cheap, and at most once per interval. Returns
   * nothing (no promise to await) when the interval has not passed — the common case on every request.
   */
  refreshIfStale(intervalMs = this.refreshIntervalMs): Promise<void> | undefined {
    const now = Date.now();
    if (now - this.lastRefreshCheck < intervalMs) return undefined;
    this.lastRefreshCheck = now;
    return this.refresh();
  }

  private async refresh(): Promise<void> {
    const latest = await this.repository.latestRevision();
    if (latest === this.currentModel.revision) return;
    await this.serialized(async () => {
      if ((await this.repository.latestRevision()) === this.currentModel.revision) return;
      const { model, items } = await ModelRuntime.loadLatest(this.repository);
      await syncEntityCollections(this.store, this.currentModel, model);
      this.items = items;
      this.currentModel = model;
    });
  }

  /** Checks and compiles a candidate set; writes nothing. */
  prepare(requested: RequestedChange[]): PreparedChange {
    const baseRevision = this.currentModel.revision;
    let set = this.currentModel.set;
    const changes: ItemChange[] = [];
    const writes: LayerWrite[] = [];
    const issues: DocumentIssues[] = [];
    const seen = new Set<string>();
    for (const change of requested) {
      // Two documents for one item in one change: which counts would be the order of the writes.
      if (seen.has(key(change.kind, change.name))) {
        issues.push({ kind: change.kind, name: change.name, issues: [{ path: '', message: 'is given twice in one change: give each item once' }] });
        continue;
      }
      seen.add(key(change.kind, change.name));
      const existing = this.items.get(key(change.kind, change.name));
      const layer = change.layer ?? adminLayer;
      const origin: Origin = change.origin ?? { by: 'admin' };
      const mismatch = describeMismatch(change);
      if (mismatch) {
        issues.push({ kind: change.kind, name: change.name, issues: [mismatch] });
        continue;
      }
      const write = this.layerWrite(change, existing, layer, origin);
      if (!write) continue;
      const after = change.document;
      if (same(existing?.document, after)) continue;
      writes.push(write);
      changes.push({ kind: change.kind, name: change.name, action: !existing ? 'create' : after ? 'update' : 'delete', ...(existing ? { before: existing.document } : {}), ...(after ? { after } : {}) });
      set = set.with(change.kind, change.name, after);
    }
    issues.push(...this.checkCandidate(set, changes));
    if (issues.length > 0) return { baseRevision, set, model: undefined, issues, changes, writes };
    const compiled = compileModel(set, baseRevision + 1, this.currentModel);
    return { baseRevision, set, model: compiled.issues.length > 0 ? undefined : compiled.model, issues: compiled.issues, changes, writes };
  }

  /**
   * What to store for a change: a full document in its own layer, or — when an admin changes an
   * item a template owns — a merge patch over the template's base (the base stays untouched).
   */
  private layerWrite(change: RequestedChange, existing: EffectiveItem | undefined, layer: string, origin: Origin): LayerWrite | undefined {
    const base = { kind: change.kind, name: change.name, layer, origin };
    const hasTemplateBase = layer === adminLayer && existing !== undefined && existing.layers.some((l) => l !== adminLayer);
    if (!hasTemplateBase) return { ...base, format: 'document', content: change.document };
    if (change.document === undefined) {
      throw new CrmError('CONFLICT', { en: `${change.kind} "${change.name}" belongs to a template; uninstall the template to remove it`, zh: `${change.kind}「${change.name}」属于模板，请通过卸载模板删除` });
    }
    // The overlay is computed against the base alone, so the template's base stays untouched.
    const patch = jsonMergePatch.generate(existing.base ?? {}, change.document) as Record<string, unknown> | undefined;
    return { ...base, format: 'patch', content: patch ?? {}, ...(existing.base ? { against: existing.base } : {}) };
  }

  /**
   * Checks and compiles the result of writing layer rows as given (templates install, swap and
   * remove their base layers this way): each touched item is composed again from its layers.
   * Writes nothing. Rows are read now; if a revision lands meanwhile, apply refuses (CONFLICT).
   */
  async prepareLayers(requested: LayerWrite[]): Promise<PreparedChange> {
    const baseRevision = this.currentModel.revision;
    const rows = new Map<string, ItemRow[]>();
    for (const row of await this.repository.loadCurrentRows()) rows.set(key(row.kind, row.name), [...(rows.get(key(row.kind, row.name)) ?? []), row]);
    for (const write of requested) {
      const others = (rows.get(key(write.kind, write.name)) ?? []).filter((r) => r.layer !== write.layer);
      const { content, ...rest } = write;
      rows.set(key(write.kind, write.name), content === undefined ? others : [...others, { ...rest, content, fromRevision: baseRevision + 1 }]);
    }
    let set = this.currentModel.set;
    const changes: ItemChange[] = [];
    for (const itemKey of new Set(requested.map((w) => key(w.kind, w.name)))) {
      const [kind, name] = [itemKey.slice(0, itemKey.indexOf('/')), itemKey.slice(itemKey.indexOf('/') + 1)];
      const before = this.items.get(itemKey)?.document;
      const after = composeLayers(rows.get(itemKey) ?? [])?.document;
      if (same(before, after)) continue;
      changes.push({ kind, name, action: !before ? 'create' : after ? 'update' : 'delete', ...(before ? { before } : {}), ...(after ? { after } : {}) });
      set = set.with(kind, name, after);
    }
    const issues = this.checkCandidate(set, changes);
    if (issues.length > 0) return { baseRevision, set, model: undefined, issues, changes, writes: requested };
    const compiled = compileModel(set, baseRevision + 1, this.currentModel);
    return { baseRevision, set, model: compiled.issues.length > 0 ? undefined : compiled.model, issues: compiled.issues, changes, writes: requested };
  }

  private checkCandidate(set: MetadataSet, changes: ItemChange[]): DocumentIssues[] {
    // The changed documents and every document that may depend on them (removing an entity must
    // fail while a view still uses it); the rest are as they were (kinds/check-changes.ts).
    return checkChanges(set, changes);
  }

  /** Applies a prepared change as one new revision, then swaps the compiled model in. */
  async apply(
    prepared: PreparedChange,
    args: {
      by: string;
      /** What wrote the revision, as data; its English message unless `message` is given. */
      operation?: RevisionOperation;
      message?: string;
      /**
       * This change's own work in the commit's transaction (a template's state and sample data), told
       * the records the apply hooks moved into workflow states; throwing rolls back all.
       */
      inTransaction?: (tx: StoreTransaction, model: CompiledModel, moves: readonly StateMove[]) => Promise<void>;
      /**
       * The records' side of a refactoring (a renamed field's values moved), in the commit's
       * transaction before the apply hooks, so they see the records as the new metadata names them.
       */
      migrate?: (tx: StoreTransaction, model: CompiledModel) => Promise<void>;
    },
  ): Promise<CompiledModel> {
    if (!prepared.model) throw new CrmError('INVALID_METADATA', undefined, flattenIssues(prepared.issues));
    if (prepared.writes.length === 0) return this.currentModel;
    return this.serialized(async () => {
      if (prepared.baseRevision !== this.currentModel.revision) {
        throw new CrmError('CONFLICT', { en: 'Metadata changed meanwhile; check again and retry', zh: '元数据已被修改，请重新校验后再试' });
      }
      const previous = this.currentModel;
      // The dry run asks the same question (dry-run.ts): an index over duplicates is refused, not a 409 halfway.
      const unique = await checkUniqueIndexIssues(this.store, previous, prepared.model!);
      if (unique.issues.length > 0) throw new CrmError('INVALID_METADATA', undefined, flattenIssues(unique.issues, true));
      // A refactoring converts the values of a field it retypes (its migrate); a plain change must not strand them.
      if (!args.migrate) {
        const stranded = await checkTypeChangeIssues(this.store, previous, prepared.model!, prepared.model!.entities.keys());
        if (stranded.length > 0) throw new CrmError('INVALID_METADATA', undefined, flattenIssues(stranded, true));
      }
      await syncEntityCollections(this.store, previous, prepared.model!, { rollbackOnFailure: true });
      let revision: number;
      const at = this.clock.now();
      const hooks = this.applyHooks;
      const own = args.inTransaction;
      const migrate = args.migrate;
      try {
        revision = await this.repository.commit({
          inTransaction: async (tx: StoreTransaction, n: number) => {
            // A refactoring's own record changes set the fields it adds (a rename clears what was stale under the new name, and counts it).
            if (migrate) await migrate(tx, prepared.model!);
            else await removeStaleValues({ tx, previous, next: prepared.model!, revision: n });
            // After the refactoring moved what it keeps (a renamed field's values), before the hooks
            // read the records: in this transaction, so the values go exactly when the revision lands.
            await removeDroppedValues({ tx, previous, next: prepared.model!, revision: n });
            const moves: StateMove[] = [];
            for (const hook of hooks) moves.push(...((await hook({ tx, previous, next: prepared.model!, revision: n, by: args.by, at })) ?? []));
            await own?.(tx, prepared.model!, moves);
          },
          writes: prepared.writes,
          changes: prepared.changes,
          by: args.by,
          message: args.message ?? (args.operation ? operationMessage(args.operation) : summarize(prepared.changes)),
          ...(args.operation ? { operation: args.operation } : {}),
          at,
          expectedRevision: prepared.baseRevision,
        });
      } catch (error) {
        await syncEntityCollections(this.store, prepared.model, previous);
        throw error;
      }
      // The candidate was compiled for exactly this revision: swap it in rather than compile twice.
      const model = prepared.model!;
      if (model.revision !== revision) throw new Error(`compiled for revision ${model.revision}, committed ${revision}`);
      // Only the items this revision wrote are composed again; the others are as they were.
      const items = new Map(this.items);
      for (const itemKey of new Set(prepared.writes.map((w) => key(w.kind, w.name)))) {
        const write = prepared.writes.find((w) => key(w.kind, w.name) === itemKey)!;
        const effective = composeLayers(await this.repository.loadLayers(write.kind, write.name));
        if (effective) items.set(itemKey, effective);
        else items.delete(itemKey);
      }
      this.items = items;
      this.currentModel = model;
      return model;
    });
  }

  /** Restores the metadata as it was at revision n, as a new revision. */
  async prepareRevert(revision: number): Promise<PreparedChange> {
    const target = await this.repository.getRevision(revision);
    if (!target && revision !== 0) throw new CrmError('NOT_FOUND', { en: `Revision ${revision} does not exist`, zh: `版本 ${revision} 不存在` });
    const then = await this.repository.loadItems(revision);
    const requested: RequestedChange[] = [];
    for (const [itemKey, item] of then) {
      if (!same(this.items.get(itemKey)?.document, item.document)) requested.push({ kind: item.document.kind, name: item.document.name, document: item.document });
    }
    for (const [itemKey, item] of this.items) {
      if (!then.has(itemKey)) requested.push({ kind: item.document.kind, name: item.document.name, document: undefined });
    }
    return this.prepare(requested);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.applying.then(work, work);
    this.applying = run.catch(() => undefined);
    return run;
  }
}

export function flattenIssues(issues: DocumentIssues[], prefixed = false): IssueDetail[] {
  return issues.flatMap((entry) => entry.issues.map((issue) => ({ ...issue, path: prefixed ? `/${entry.kind}/${entry.name}${issue.path}` : issue.path })));
}

function describeMismatch(change: RequestedChange): IssueDetail | undefined {
  const doc: unknown = change.document;
  if (doc === undefined) return undefined;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { path: '', message: 'must be a JSON object' };
  const { kind, name } = doc as { kind?: unknown; name?: unknown };
  if (kind !== change.kind) return { path: '/kind', message: `must be "${change.kind}"` };
  if (name !== change.name) return { path: '/name', message: `must be "${change.name}", the name in the address` };
  return undefined;
}

function summarize(changes: ItemChange[]): string {
  return changes.map((c) => `${c.action} ${c.kind} ${c.name}`).join('; ');
}
