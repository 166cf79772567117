// Approvals in the store (`_wfApprovals`): one document per request, with each step's decision.
// At most one pending approval per record; decisions are conditional replaces on its version.

import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type { CollectionSpec, StoreReader, StoreTransaction } from '../store/store-port.ts';

export const approvalsCollection: CollectionSpec = {
  name: '_wfApprovals',
  indexes: [
    { name: 'record', keys: [{ path: ['entity'], direction: 1 }, { path: ['recordId'], direction: 1 }, { path: ['status'], direction: 1 }], unique: false },
    { name: 'status', keys: [{ path: ['status'], direction: 1 }], unique: false },
  ],
};

export interface ApprovalStepState {
  name: string;
  label: LocalizedText;
  approver: { role?: string; user?: string; field?: string };
  status: 'pending' | 'approved' | 'rejected' | 'skipped';
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

export interface ApprovalData {
  workflow: string;
  entity: string;
  recordId: string;
  transition: string;
  from: string | undefined;
  to: string;
  status: 'pending' | 'approved' | 'rejected' | 'void';
  requestedBy: string;
  requestedAt: string;
  comment?: string;
  steps: ApprovalStepState[];
  decidedAt?: string;
  /** Why it was rejected (the rejecting step's comment). */
  reason?: string;
}

export interface Approval extends ApprovalData {
  id: string;
  version: number;
}

function asApproval(row: { id: string; version: number; data: Record<string, unknown> }): Approval {
  return { id: row.id, version: row.version, ...(row.data as unknown as ApprovalData) };
}

export async function findPendingApproval(reader: StoreReader, entity: string, recordId: string): Promise<Approval | undefined> {
  const rows = await reader.find(approvalsCollection.name, { filter: where({ entity, recordId, status: 'pending' }), sort: [], limit: 1 });
  return rows[0] ? asApproval(rows[0]) : undefined;
}

/** The newest approval of a record with the given status (ids are ULIDs: newest is greatest). */
export async function findLatestApproval(reader: StoreReader, query: { entity: string; recordId: string; status: ApprovalData['status'] }): Promise<Approval | undefined> {
  const rows = await reader.find(approvalsCollection.name, { filter: where(query), sort: [{ field: internalField('id'), direction: -1 }], limit: 1 });
  return rows[0] ? asApproval(rows[0]) : undefined;
}

export async function getApproval(reader: StoreReader, id: string): Promise<Approval | undefined> {
  const row = await reader.get(approvalsCollection.name, id);
  return row ? asApproval(row) : undefined;
}

export async function listApprovals(reader: StoreReader, query: { status?: string; entity?: string; recordId?: string; limit?: number }): Promise<Approval[]> {
  const filter = andFilters(
    query.status ? where({ status: query.status }) : undefined,
    query.entity ? where({ entity: query.entity }) : undefined,
    query.recordId ? where({ recordId: query.recordId }) : undefined,
  );
  const rows = await reader.find(approvalsCollection.name, { filter, sort: [{ field: internalField('id'), direction: -1 }], limit: query.limit ?? 500 });
  return rows.map(asApproval);
}

export async function insertApproval(tx: StoreTransaction, id: string, data: ApprovalData): Promise<void> {
  await tx.insert(approvalsCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
}

/** Conditional on the version read: false when someone decided meanwhile. */
export async function replaceApproval(tx: StoreTransaction, approval: Approval, data: ApprovalData): Promise<boolean> {
  return tx.replace(approvalsCollection.name, { id: approval.id, version: approval.version + 1, revision: 0, data: data as unknown as Record<string, unknown> }, approval.version);
}
