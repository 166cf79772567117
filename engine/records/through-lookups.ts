// Formulas and rules that read through lookups (`account.industry`): before they are evaluated the
// lookup fields they read through are replaced, in the evaluation input only, by their target
// records (system context: a formula's stored value is the same for everyone; the access policy
// hides the formula from whoever cannot read what it reads). When a target changes, the records
// whose formulas read it are recomputed in the same transaction, like rollups
// (records/propagate-rollups.ts: a recomputed formula may feed a rollup, and a rollup a formula).

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { ThroughLookups } from '../fields/lookup-reads.ts';
import type { StoreReader } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';

/** The lookup fields read through, each replaced by `{ id, ...its target's values }`; undefined when none are. */
export async function loadThroughOverlay(entity: CompiledEntity, values: RecordValues, reader: Pick<StoreReader, 'get'>): Promise<RecordValues | undefined> {
  if (entity.throughLookups.size === 0) return undefined;
  return expand(entity.throughLookups, values, reader);
}

async function expand(tree: ThroughLookups, values: RecordValues, reader: Pick<StoreReader, 'get'>): Promise<RecordValues> {
  const overlay: RecordValues = {};
  for (const [field, hop] of tree) {
    const id = values[field];
    if (typeof id !== 'string') continue;
    const target = await reader.get(hop.target, id);
    if (!target) continue;
    const data: RecordValues = { id: target.id, ...target.data };
    overlay[field] = hop.next.size === 0 ? data : { ...data, ...(await expand(hop.next, data, reader)) };
  }
  return overlay;
}
