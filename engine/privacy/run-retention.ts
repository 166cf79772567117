// Retention rules: records of an entity whose `privacy` block sets retentionDays and
// retentionAction are anonymized or deleted once they have not changed for that many days.
// A pure function of the store, the model and `now` — the workflow scheduler calls it; tests call
// it under a manual clock. Runs in system mode, named and logged.

import { systemPrincipal } from '../access/policy.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { internalField, type FilterNode } from '../filter/filter-tree.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { eraseUploads, jobsThatWrote } from '../import/erase-uploads.ts';
import type { Store } from '../store/store-port.ts';
import { eraseRecord, type ErasedRecord } from './erase-records.ts';
import { ErasedRecords, erasableStrings, scrubCopies, scrubQuotingFormulas } from './scrub-copies.ts';
import { holdsPersonalValues, personalFields, privacyOf } from './personal-data.ts';
import { log } from '../kernel/log.ts';

const batchSize = 200;
const dayMs = 24 * 60 * 60 * 1000;

function staleFilter(entity: CompiledEntity, cutoff: string): FilterNode {
  const updatedAt = entity.filterables.get('updatedAt') ?? internalField('updatedAt', 'datetime');
  return { kind: 'compare', field: updatedAt, op: '$lt', value: cutoff };
}

/** Applies every entity's retention rule as of `now`; returns what it anonymized or deleted. */
export async function runRetention(services: { store: Store; runtime: ModelRuntime; dataDir?: string }, now: Date): Promise<ErasedRecord[]> {
  const { store } = services;
  const model = services.runtime.model;
  const by = systemPrincipal('retention').id;
  const at = now.toISOString();
  const done: ErasedRecord[] = [];
  // Every record erased in the run, for the import uploads their rows came from.
  const erasedInRun = new ErasedRecords();
  const collections = await store.listCollections();
  for (const entity of model.entities.values()) {
    const privacy = privacyOf(entity);
    if (!privacy?.retentionDays || !privacy.retentionAction) continue;
    const action = privacy.retentionAction;
    const cutoff = new Date(now.getTime() - privacy.retentionDays * dayMs).toISOString();
    // A page at a time in id order: the stale records an anonymizing rule leaves (done before, and
    // not given personal values since: holdsPersonalValues) stay where they are.
    for (let after: string | undefined, more = true; more; ) {
      const batch = await store.transaction(async (tx) => {
        const page = await tx.find(entity.name, { filter: staleFilter(entity, cutoff), sort: [{ field: internalField('id'), direction: 1 }], limit: batchSize, ...(after ? { after: { values: [after], id: after } } : {}) });
        more = page.length === batchSize;
        after = page.at(-1)?.id;
        const due = action === 'anonymize' ? page.filter((record) => holdsPersonalValues(entity, record.data)) : page;
        const out: ErasedRecord[] = [];
        const values: unknown[] = [];
        const copied = new ErasedRecords();
        for (const record of due) {
          const { erased, values: held, records } = await eraseRecord(tx, { model, entity, record, mode: action, by, at, reason: 'retention' });
          out.push(erased);
          values.push(...held);
          copied.add(entity.name, records, personalFields(entity));
          erasedInRun.add(entity.name, records, personalFields(entity));
        }
        const strings = erasableStrings(values);
        await scrubCopies(tx, collections, strings, copied);
        await scrubQuotingFormulas(tx, model, out.map((e) => e.entity), strings);
        return out;
      });
      done.push(...batch);
    }
  }
  if (done.length > 0) {
    log.info(`[privacy] retention: ${done.filter((d) => d.action === 'anonymized').length} anonymized, ${done.filter((d) => d.action === 'deleted').length} deleted`);
    await store.purgeDeleted?.();
    if (services.dataDir) await eraseUploads(store, services.dataDir, await jobsThatWrote(store, erasedInRun.byEntity()), at);
  }
  return done;
}
