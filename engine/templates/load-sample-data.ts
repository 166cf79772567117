// Sample data: data files only (a JSON array or one JSON record per line), each record with a
// stable `id` that lookups between sample records use. Loaded inside the transaction that
// commits the template's metadata, through the same steps a create takes (input check, defaults,
// schema, lookups, formulas, rollups, rules, audit) against the new compiled model — so a record
// that fails any rule refuses the whole step. Entities load in an order that satisfies lookups.
// Records whose id is already there (a reinstall) are left as they are and counted as skipped.
// Sample records are data, not events: no workflow trigger runs for them.

import { openPolicy, systemPrincipal } from '../access/policy.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { recordIdSchema } from '../fields/types/reference-types.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError, isCrmError, pointer } from '../kernel/errors.ts';
import { checkInput } from '../records/check-input.ts';
import { applyDefaults } from '../records/compute-values.ts';
import { checkStoredRecord } from '../records/check-existing-records.ts';
import { withoutNulls, type RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { assertValidValues, normalizeValues } from '../records/validate-values.ts';
import { insertNewRecord } from '../records/write-record.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { readPackageFile } from './load-template.ts';
import type { TemplatePackage } from './template-package.ts';

const maxSampleBytes = 64 * 1024 * 1024;
// Sample ids are record ids like any other (ULIDs), fixed by the template's authors.
const idPattern = new RegExp(String(recordIdSchema['pattern']));

export interface SampleBatch {
  entity: string;
  file: string;
  records: RecordValues[];
}

export interface SampleResult {
  entity: string;
  file: string;
  records: number;
  loaded: number;
  skipped: number;
}

/** Reads and shape-checks the sample files of the given entities (every issue, by pointer). */
export async function readSampleData(pkg: TemplatePackage, entities: readonly string[]): Promise<SampleBatch[]> {
  const batches: SampleBatch[] = [];
  const issues: { path: string; message: string }[] = [];
  for (const [entity, sample] of Object.entries(pkg.manifest.sampleData ?? {})) {
    if (!entities.includes(entity)) continue;
    const at = pointer('sampleData', entity);
    const text = await readPackageFile(pkg.directory, sample.file, maxSampleBytes);
    let records: unknown;
    try {
      records = sample.file.endsWith('.ndjson')
        ? text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown)
        : (JSON.parse(text) as unknown);
    } catch (error) {
      issues.push({ path: at, message: `${sample.file} is not valid JSON: ${(error as Error).message}` });
      continue;
    }
    if (!Array.isArray(records)) {
      issues.push({ path: at, message: `${sample.file} must hold a JSON array of records` });
      continue;
    }
    if (sample.count !== undefined && sample.count !== records.length) issues.push({ path: at, message: `${sample.file} holds ${records.length} records, the manifest says ${sample.count}` });
    const ids = new Set<string>();
    records.forEach((record: unknown, i) => {
      const id = (record as { id?: unknown } | null)?.id;
      if (record === null || typeof record !== 'object' || Array.isArray(record)) issues.push({ path: `${at}/${i}`, message: 'must be a JSON object' });
      else if (typeof id !== 'string' || !idPattern.test(id)) issues.push({ path: `${at}/${i}/id`, message: 'needs a stable id: a ULID (26 characters of Crockford base 32, e.g. 01JAAAAAAAAAAAAAAAAAAAAAAA)' });
      else if (ids.has(id)) issues.push({ path: `${at}/${i}/id`, message: `"${id}" appears twice` });
      else ids.add(id);
    });
    batches.push({ entity, file: sample.file, records: records as RecordValues[] });
  }
  if (issues.length > 0) throw new CrmError('INVALID_RECORD', { en: 'The sample data is not valid', zh: '示例数据无效' }, issues);
  return batches;
}

/** Entities ordered so that a lookup's target loads before the records pointing at it. */
function loadOrder(batches: SampleBatch[], model: CompiledModel): SampleBatch[] {
  const byEntity = new Map(batches.map((b) => [b.entity, b]));
  const ordered: SampleBatch[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.has(name)) return; // done, or a cycle: load in manifest order then
    state.set(name, 'visiting');
    for (const lookup of model.entities.get(name)?.lookups ?? []) {
      const target = (lookup.definition as { to?: string }).to;
      if (target && target !== name && byEntity.has(target)) visit(target);
    }
    state.set(name, 'done');
    ordered.push(byEntity.get(name)!);
  };
  for (const batch of batches) visit(batch.entity);
  return ordered;
}

/** Inserts the sample records in `tx`; throws INVALID_RECORD naming the first record refused. */
export async function loadSampleData(args: { tx: StoreTransaction; model: CompiledModel; batches: SampleBatch[]; clock: Clock; template: string }): Promise<SampleResult[]> {
  const { tx, model, clock } = args;
  const principal = systemPrincipal('template-install');
  const ctx: RequestContext = { principal, locale: 'en', clock, model, policy: openPolicy };
  const results: SampleResult[] = [];
  for (const batch of loadOrder(args.batches, model)) {
    const entity = model.entities.get(batch.entity);
    if (!entity) throw new CrmError('INVALID_RECORD', { en: `Sample data for "${batch.entity}", which is not an entity here`, zh: `示例数据对应的「${batch.entity}」不是实体` }, [{ path: pointer('sampleData', batch.entity), message: 'is not an entity of the installed metadata' }]);
    const result: SampleResult = { entity: batch.entity, file: batch.file, records: batch.records.length, loaded: 0, skipped: 0 };
    for (const [index, record] of batch.records.entries()) {
      try {
        if (await insertSample({ tx, ctx, entity, record, template: args.template })) result.loaded++;
        else result.skipped++;
      } catch (error) {
        if (!isCrmError(error)) throw error;
        const at = pointer('sampleData', batch.entity, index);
        const details = error.details.length > 0 ? error.details.map((d) => ({ ...d, path: at + d.path })) : [{ path: at, message: error.message }];
        throw new CrmError(error.code === 'UNIQUE_VIOLATION' ? 'UNIQUE_VIOLATION' : 'INVALID_RECORD', { en: `Sample record "${String(record['id'])}" of ${batch.entity} is refused: ${error.message}`, zh: `${batch.entity} 的示例记录「${String(record['id'])}」被拒绝：${error.message}` }, details);
      }
    }
    results.push(result);
  }
  await checkLoadedParents({ tx, ctx, batches: args.batches });
  return results;
}

/**
 * Rules over rollups are not checked record by record during the load (a receipt arrives before its
 * lines); once everything is in, every loaded record of an entity with rules must pass them.
 */
async function checkLoadedParents(args: { tx: StoreTransaction; ctx: RequestContext; batches: SampleBatch[] }): Promise<void> {
  const { tx, ctx } = args;
  for (const batch of args.batches) {
    const entity = ctx.model.entities.get(batch.entity);
    if (!entity || entity.rules.length === 0 || ![...entity.fields.values()].some((f) => f.type.compute === 'rollup')) continue;
    for (const [index, record] of batch.records.entries()) {
      const stored = await tx.get(entity.name, String(record['id']));
      const issues = stored ? await checkStoredRecord(entity, stored, ctx, tx) : [];
      if (issues.length > 0) {
        const at = pointer('sampleData', batch.entity, index);
        throw new CrmError('INVALID_RECORD', { en: `Sample record "${String(record['id'])}" of ${batch.entity} breaks a rule once its related records are loaded`, zh: `${batch.entity} 的示例记录「${String(record['id'])}」在关联记录加载后违反规则` }, issues.map((d) => ({ ...d, path: at + d.path })));
      }
    }
  }
}

async function insertSample(args: { tx: StoreTransaction; ctx: RequestContext; entity: CompiledEntity; record: RecordValues; template: string }): Promise<boolean> {
  const { tx, ctx, entity } = args;
  const { id: rawId, ...input } = args.record;
  const id = String(rawId);
  if (await tx.get(entity.name, id)) return false;
  const accepted = withoutNulls(checkInput({ input, entity, editable: entity.writableFields, locale: ctx.locale, allowDriven: true }));
  // Sample records may sit anywhere in their process: their workflow states are kept as given.
  const driven = Object.fromEntries(Object.entries(accepted).filter(([field]) => entity.drivenFields.has(field)));
  const withDefaults = { ...(await applyDefaults(entity, accepted, ctx, 'create')), ...driven };
  assertValidValues(entity, withDefaults, ctx.locale);
  const values = normalizeValues(entity, withDefaults);
  await insertNewRecord({ tx, ctx, entity, id, values, checkParentRules: false, auditDetails: { sampleDataOf: args.template } });
  return true;
}
