// One lifecycle step, dry or real: plan the layers for the wanted state, prepare (check and
// compile) the resulting metadata, count the records the new rules would refuse, try the sample
// data, and — unless it is a dry run — apply it all as one revision: the metadata, the
// templates' state, the sample records and any data deletion commit in one store transaction,
// or none of it does. The dry run and the apply share this code, so their counts agree.

import type { CompiledModel } from '../compile/compiled-model.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError, isCrmError, pointer, type ErrorCode, type IssueDetail } from '../kernel/errors.ts';
import { internalField, matchAll } from '../filter/filter-tree.ts';
import { checkExistingRecords, countRemovedValues, withRemovedValues, withStateMoves, type RecordImpact, type RemovedValues, type StateMove } from '../records/check-existing-records.ts';
import { systemContext, type RequestContext } from '../records/request-context.ts';
import type { ModelRuntime, PreparedChange } from '../runtime/model-runtime.ts';
import type { Store, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { describeChange, type DescribedChange, type RevisionOperation } from '../metadata/revision-operation.ts';
import { checkTypeChangeIssues } from '../runtime/check-type-changes.ts';
import { checkNewUniqueIndexes, type UniqueIndexIssue } from '../runtime/check-unique-indexes.ts';
import { diffJson, type JsonChange } from './fit-overlay.ts';
import { saveInstalledTemplate, type InstalledTemplate, type StoredTemplate, type TemplateHistoryEntry } from './installed-templates.ts';
import { loadSampleData, readSampleData, type SampleBatch, type SampleResult } from './load-sample-data.ts';
import { planLayers, type LayerPlan } from './plan-layers.ts';
import { itemKey, itemsOfModules, orderedModules, type TemplatePackage } from './template-package.ts';

export interface StepIssue extends IssueDetail {
  kind?: string;
  name?: string;
}

/** What a step does (dry run) or did. */
export interface StepReport {
  template: string;
  action: TemplateHistoryEntry['action'] | 'uninstall';
  dryRun: boolean;
  applied: boolean;
  fromVersion?: string;
  toVersion?: string;
  /** The template's modules after the step. */
  modules: { name: string; on: boolean }[];
  /** The metadata revision written. */
  revision?: number;
  /** Item by item: what changes in the effective metadata, pointer by pointer. */
  items: (DescribedChange & { changes: JsonChange[] })[];
  /** Why the step is refused (empty when it can be applied). */
  issues: StepIssue[];
  sharedConflicts: LayerPlan['sharedConflicts'];
  /** Where the admin's overlay and the new base disagree, and how it was resolved. */
  overlayConflicts: LayerPlan['overlayConflicts'];
  /** Per changed entity: its records and how many the new rules would refuse on their next write. */
  impact: RecordImpact[];
  /** New unique indexes over values records already share (each also an issue: apply refuses). */
  uniqueIndexes: UniqueIndexIssue[];
  sampleData: SampleResult[];
  /** Records removed with the template (uninstall with deleteData). */
  deletedData: { entity: string; records: number }[];
}

export interface StepDeps {
  store: Store;
  runtime: ModelRuntime;
  clock: Clock;
}

export interface StepArgs {
  action: StepReport['action'];
  name: string;
  by: string;
  dryRun: boolean;
  /** Every installed template as loaded before the step. */
  stored: StoredTemplate[];
  /** The acting template's state after the step; undefined removes it (uninstall). */
  next: InstalledTemplate | undefined;
  /** The package, when sample data is to be loaded from it. */
  pkg?: TemplatePackage;
  sampleEntities?: readonly string[];
  deleteData?: boolean;
  fromVersion?: string;
  toVersion?: string;
  /** The module switched on or off (enableModule, disableModule). */
  module?: string;
}

class DryRunRollback extends Error {}

const installContext = (clock: Clock, model: CompiledModel): RequestContext => systemContext({ reason: 'template-install', clock, model });

export async function runStep(deps: StepDeps, args: StepArgs): Promise<StepReport> {
  const { store, runtime, clock } = deps;
  const previous = args.stored.find((s) => s.state.name === args.name);
  // The model before this step: what the impact's removed fields are counted against.
  const modelBefore = runtime.model;
  // Counted once, before any apply hook recomputes a field that became computed; the same in dry run and apply.
  let removed: RemovedValues = new Map();
  const templates = [...args.stored.map((s) => s.state).filter((t) => t.name !== args.name), ...(args.next ? [args.next] : [])].sort((a, b) => a.order - b.order);
  const ownItems = Object.keys((args.next ?? previous?.state)?.items ?? {});
  const plan = planLayers({ templates, actor: args.name, rows: await runtime.repository.loadCurrentRows(), ...(args.deleteData ? { discardOverlays: new Set(ownItems) } : {}) });
  const report: StepReport = {
    template: args.name, action: args.action, dryRun: args.dryRun, applied: false,
    ...(args.fromVersion ? { fromVersion: args.fromVersion } : {}), ...(args.toVersion ? { toVersion: args.toVersion } : {}),
    modules: args.next ? orderedModules(args.next.manifest).map((m) => ({ name: m, on: args.next!.modulesOn.includes(m) })) : [],
    items: [], issues: plan.issues.flatMap((d) => d.issues.map((i) => ({ kind: d.kind, name: d.name, ...i }))),
    sharedConflicts: plan.sharedConflicts, overlayConflicts: plan.overlayConflicts, impact: [], uniqueIndexes: [], sampleData: [], deletedData: [],
  };
  // The planner refuses only clashes with what is installed: items owned by another, refused shares, an admin's item of the same name.
  let errorCode: ErrorCode = plan.issues.length > 0 ? 'CONFLICT' : 'INVALID_METADATA';
  let prepared: PreparedChange | undefined;
  if (report.issues.length === 0) {
    prepared = await runtime.prepareLayers(plan.writes);
    report.issues.push(...prepared.issues.flatMap((d) => d.issues.map((i) => ({ kind: d.kind, name: d.name, ...i }))));
    report.items = prepared.changes.map((c) => ({ ...describeChange(c), changes: diffJson(c.before, c.after) }));
  }
  const model = prepared?.model;
  const entities = model ? changedEntities(prepared!, model) : [];
  if (model) {
    removed = await countRemovedValues(store, modelBefore, model, entities);
    report.impact = await recordImpact(store, clock, model, entities, removed);
    // A new unique index over values records already share would make apply fail: say so now.
    for (const clash of await checkNewUniqueIndexes(store, runtime.model, model, entities)) {
      errorCode = 'UNIQUE_VIOLATION';
      report.uniqueIndexes.push(clash);
      report.issues.push({ kind: 'entity', name: clash.entity, path: pointer('fields', clash.fields[0] ?? ''), code: 'UNIQUE_INDEX', message: `${clash.duplicates} records share a value of ${clash.fields.join(', ')}, which must become unique (e.g. ${clash.examples.join(', ')})` });
    }
    // A version that retypes a field whose records hold values of the old type would strand them: apply refuses, said now.
    for (const entry of await checkTypeChangeIssues(store, runtime.model, model, entities)) report.issues.push(...entry.issues.map((issue) => ({ kind: entry.kind, name: entry.name, ...issue })));
  }

  // Data removed with the template: entities of its own that the new metadata no longer has.
  const doomed = args.deleteData && model ? ownItems.filter((k) => k.startsWith('entity/')).map((k) => k.slice('entity/'.length)).filter((e) => !model.entities.has(e) && runtime.model.entities.has(e)) : [];
  for (const entity of doomed) report.deletedData.push({ entity, records: await store.count(entity, matchAll) });

  let batches: SampleBatch[] = [];
  const asIssues = (error: unknown) => {
    if (!isCrmError(error)) throw error;
    errorCode = error.code;
    for (const detail of error.details.length > 0 ? error.details : [{ path: '', message: error.message }]) {
      // Apply hooks locate their issues as /{kind}/{name}/…: report those like the documents' own.
      const [, kind, name, rest = ''] = /^\/(entity|form|view|workflow|role|dashboard)\/([^/]+)(.*)$/.exec(detail.path) ?? [];
      report.issues.push(kind && name ? { ...detail, kind, name, path: rest } : detail);
    }
  };
  if (model && args.pkg && args.sampleEntities && args.sampleEntities.length > 0) {
    try {
      batches = await readSampleData(args.pkg, args.sampleEntities.filter((e) => model.entities.has(e)));
      report.sampleData = batches.map((b) => ({ entity: b.entity, file: b.file, records: b.records.length, loaded: 0, skipped: 0 }));
    } catch (error) {
      asIssues(error);
    }
  }
  if (args.dryRun && model && report.issues.length === 0 && store.atomicTransactions) {
    // What apply does in its transaction — the engine's apply hooks (e.g. records in workflow states
    // that go away) and the sample data — done for real, then rolled back: the counts apply will get.
    await store
      .transaction(async (tx) => {
        const moves = await runtime.runApplyHooks(prepared!, tx, args.by);
        report.impact = withStateMoves(await recordImpact(tx, clock, model, entities, removed), moves);
        if (batches.length > 0) report.sampleData = await loadSampleData({ tx, model, batches, clock, template: args.name });
        throw new DryRunRollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof DryRunRollback)) asIssues(error);
      });
  }
  if (args.dryRun) return report;
  if (report.issues.length > 0 || !prepared?.model) {
    throw new CrmError(errorCode, { en: `Template ${args.name}: ${args.action} refused`, zh: `模板 ${args.name}：${args.action} 被拒绝` }, report.issues.map(({ kind, name, path, message, code }) => ({ path: kind && name ? `/${kind}/${name}${path}` : path, message, ...(code ? { code } : {}) })));
  }

  const at = clock.now().toISOString();
  const work = async (tx: StoreTransaction, applied: CompiledModel | undefined, moves: readonly StateMove[] = []): Promise<void> => {
    const revision = applied?.revision;
    const states = nextStates({ args, previous, templates, plan, at, revision });
    // Counted again here, after the engine's apply hooks moved what they move: what apply really leaves, and what it moved.
    if (applied) report.impact = withStateMoves(await recordImpact(tx, clock, applied, entities, removed), moves);
    if (batches.length > 0) {
      report.sampleData = await loadSampleData({ tx, model: applied ?? runtime.model, batches, clock, template: args.name });
      const state = states.get(args.name)?.state;
      for (const r of state ? report.sampleData : []) state!.sampleData[r.entity] = { loaded: (state!.sampleData[r.entity]?.loaded ?? 0) + r.loaded, skipped: r.skipped };
    }
    for (const [name, { expected, state }] of states) {
      if (!(await saveInstalledTemplate(tx, name, expected, state))) throw new CrmError('CONFLICT', { en: `Template ${name} changed meanwhile; try again`, zh: `模板 ${name} 已被修改，请重试` });
    }
    for (const entity of doomed) await deleteAll(tx, entity);
  };
  const title = (args.next ?? previous?.state)?.manifest.title;
  const moduleLabel = args.module ? (args.next ?? previous?.state)?.manifest.modules[args.module]?.label : undefined;
  const operation: RevisionOperation = {
    type: 'template', template: args.name, action: args.action, ...(args.toVersion ? { version: args.toVersion } : {}), ...(title ? { title } : {}),
    ...(args.module ? { module: args.module, ...(moduleLabel ? { moduleLabel } : {}) } : {}),
  };
  if (prepared.writes.length > 0) {
    const applied = await runtime.apply(prepared, { by: args.by, operation, inTransaction: (tx, m, moves) => work(tx, m, moves) });
    report.revision = applied.revision;
  } else {
    await store.transaction((tx) => work(tx, undefined));
  }
  for (const entity of doomed) await store.dropCollection(entity).catch(() => undefined);
  report.applied = true;
  return report;
}

/** The states to write: the actor's, and any other template that now keeps dropped overlay fragments. */
function nextStates(args: { args: StepArgs; previous: StoredTemplate | undefined; templates: InstalledTemplate[]; plan: LayerPlan; at: string; revision: number | undefined }) {
  const { args: step, previous, templates, plan, at, revision } = args;
  const states = new Map<string, { expected: number | undefined; state: InstalledTemplate | undefined }>();
  if (step.next) {
    const history: TemplateHistoryEntry = { action: step.action as TemplateHistoryEntry['action'], version: step.next.version, at, by: step.by, ...(revision !== undefined ? { revision } : {}) };
    states.set(step.name, { expected: previous?.version, state: { ...structuredClone(step.next), updatedAt: at, history: [...step.next.history, history].slice(-100) } });
  } else {
    states.set(step.name, { expected: previous?.version, state: undefined });
  }
  for (const fragment of plan.dropped) {
    // Kept by the first template whose base the item now has.
    const holder = templates.find((t) => itemsOfModules(t.manifest, t.modulesOn).includes(itemKey(fragment.kind, fragment.name)));
    if (!holder) continue;
    if (!states.has(holder.name)) states.set(holder.name, { expected: step.stored.find((s) => s.state.name === holder.name)?.version, state: structuredClone(holder) });
    const state = states.get(holder.name)!.state!;
    state.droppedOverlays = [...state.droppedOverlays, { ...fragment, version: state.version, at }].slice(-500);
  }
  return states;
}

/** Entities whose definition or whose forms, views or workflows change (or that come back). */
function changedEntities(prepared: PreparedChange, model: CompiledModel): string[] {
  const entities = new Set<string>();
  for (const change of prepared.changes) {
    if (change.action === 'delete') continue;
    const entity = change.kind === 'entity' ? change.name : change.after?.['entity'];
    if (typeof entity === 'string' && model.entities.has(entity)) entities.add(entity);
  }
  return [...entities].sort();
}

/** How many records of each entity the new rules would refuse on their next write, with the values of fields the step removes. */
async function recordImpact(store: Pick<StoreReader, 'find' | 'get'>, clock: Clock, model: CompiledModel, entities: string[], removed: RemovedValues): Promise<RecordImpact[]> {
  const impact: RecordImpact[] = [];
  for (const name of entities) {
    const result = await checkExistingRecords(store, installContext(clock, model), model.entities.get(name)!);
    if (result.records > 0) impact.push(result);
  }
  return withRemovedValues(impact, removed);
}

async function deleteAll(tx: StoreTransaction, entity: string): Promise<void> {
  for (;;) {
    const rows = await tx.find(entity, { filter: matchAll, sort: [{ field: internalField('id'), direction: 1 }], limit: 500 });
    for (const row of rows) await tx.delete(entity, row.id);
    if (rows.length < 500) return;
  }
}
