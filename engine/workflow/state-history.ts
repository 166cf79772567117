// Time in each state (`_wfStateHistory`): one entry per stay — entered at, left at, by whom and by
// which transition — written in the same transaction as the state change. Queried per record and
// summed per workflow for SLA reporting.

import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import type { CollectionSpec, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { newId } from '../kernel/ids.ts';

export const stateHistoryCollection: CollectionSpec = {
  name: '_wfStateHistory',
  indexes: [
    { name: 'record', keys: [{ path: ['entity'], direction: 1 }, { path: ['recordId'], direction: 1 }], unique: false },
    { name: 'workflow', keys: [{ path: ['workflow'], direction: 1 }, { path: ['state'], direction: 1 }], unique: false },
  ],
};

export interface StayData {
  workflow: string;
  entity: string;
  recordId: string;
  state: string;
  enteredAt: string;
  leftAt?: string;
  by: string;
  /** The transition that entered the state (absent for the initial state; `stateMapping` for a migration). */
  via?: string;
}

export interface Stay extends StayData {
  id: string;
  version: number;
}

const asStay = (row: { id: string; version: number; data: Record<string, unknown> }): Stay => ({ id: row.id, version: row.version, ...(row.data as unknown as StayData) });

export async function openStay(reader: StoreReader, workflow: string, entity: string, recordId: string): Promise<Stay | undefined> {
  const rows = await reader.find(stateHistoryCollection.name, {
    filter: andFilters(where({ workflow, entity, recordId }), { kind: 'exists', field: internalField('leftAt'), exists: false }),
    sort: [{ field: internalField('id'), direction: -1 }],
    limit: 1,
  });
  return rows[0] ? asStay(rows[0]) : undefined;
}

/** Closes the open stay (if any) and opens one in `state`; returns the new stay's id. */
export async function recordStateChange(tx: StoreTransaction, change: { workflow: string; entity: string; recordId: string; state: string; at: string; by: string; via?: string }): Promise<string> {
  const open = await openStay(tx, change.workflow, change.entity, change.recordId);
  if (open) {
    const { id, version, ...data } = open;
    await tx.replace(stateHistoryCollection.name, { id, version: version + 1, revision: 0, data: { ...data, leftAt: change.at } as unknown as Record<string, unknown> }, version);
  }
  const id = newId();
  const data: StayData = { workflow: change.workflow, entity: change.entity, recordId: change.recordId, state: change.state, enteredAt: change.at, by: change.by, ...(change.via ? { via: change.via } : {}) };
  await tx.insert(stateHistoryCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
  return id;
}

export async function staysOfRecord(reader: StoreReader, entity: string, recordId: string): Promise<Stay[]> {
  const rows = await reader.find(stateHistoryCollection.name, { filter: where({ entity, recordId }), sort: [{ field: internalField('id'), direction: 1 }], limit: 10_000 });
  return rows.map(asStay);
}

export async function staysOfWorkflow(reader: StoreReader, workflow: string, limit = 200_000): Promise<Stay[]> {
  const rows = await reader.find(stateHistoryCollection.name, { filter: where({ workflow }), sort: [], limit });
  return rows.map(asStay);
}

export function durationMs(stay: StayData, now: Date): number {
  return Math.max(0, (stay.leftAt ? Date.parse(stay.leftAt) : now.getTime()) - Date.parse(stay.enteredAt));
}
