// Retention rules: records of an entity whose `privacy` block sets retentionDays and
// retentionAction are anonymized or deleted once they have not changed for that many days.
// A pure function of the store, the model and `now` — the workflow scheduler calls it; tests call
// it under a manual clock. Runs in system mode, named and logged.

import { systemPrincipal } from '../access/policy.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField, type FilterNode } from '../filter/filter-tree.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { Store } from '../store/store-port.ts';
import { eraseRecord, type ErasedRecord } from './erase-records.ts';
import { erasableStrings, scrubCopies, scrubQuotingFormulas } from './scrub-copies.ts';
import { erasedMarker, privacyOf } from './personal-data.ts';
import { log } from '../kernel/log.ts';

const batchSize = 200;
const dayMs = 24 * 60 * 60 * 1000;

function dueFilter(entity: CompiledEntity, cutoff: string, action: 'anonymize' | 'delete'): FilterNode {
  const updatedAt = entity.filterables.get('updatedAt') ?? internalField('updatedAt', 'datetime');
  const stale: FilterNode = { kind: 'compare', field: updatedAt, op: '$lt', value: cutoff };
  // An anonymized record is done: it is not anonymized again every run.
  return action === 'anonymize' ? andFilters(stale, { kind: 'exists', field: internalField(erasedMarker), exists: false }) : stale;
}

/** Applies every entity's retention rule as of `now`; returns what it anonymized or deleted. */
export async function runRetention(services: { store: Store; runtime: ModelRuntime }, now: Date): Promise<ErasedRecord[]> {
  const { store } = services;
  const model = services.runtime.model;
  const by = systemPrincipal('retention').id;
  const at = now.toISOString();
  const done: ErasedRecord[] = [];
  const collections = await store.listCollections();
  for (const entity of model.entities.values()) {
    const privacy = privacyOf(entity);
    if (!privacy?.retentionDays || !privacy.retentionAction) continue;
    const action = privacy.retentionAction;
    const cutoff = new Date(now.getTime() - privacy.retentionDays * dayMs).toISOString();
    for (;;) {
      const batch = await store.transaction(async (tx) => {
        const due = await tx.find(entity.name, { filter: dueFilter(entity, cutoff, action), sort: [], limit: batchSize });
        const out: ErasedRecord[] = [];
        const values: unknown[] = [];
        for (const record of due) {
          const { erased, values: held } = await eraseRecord(tx, { model, entity, record, mode: action, by, at, reason: 'retention' });
          out.push(erased);
          values.push(...held);
        }
        const strings = erasableStrings(values);
        await scrubCopies(tx, collections, strings);
        await scrubQuotingFormulas(tx, model, out.map((e) => e.entity), strings);
        return out;
      });
      done.push(...batch);
      if (batch.length < batchSize) break;
    }
  }
  if (done.length > 0) {
    log.info(`[privacy] retention: ${done.filter((d) => d.action === 'anonymized').length} anonymized, ${done.filter((d) => d.action === 'deleted').length} deleted`);
    await store.purgeDeleted?.();
  }
  return done;
}
