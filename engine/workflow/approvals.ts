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
    // The lists: who a pending approval waits for, who requested one (newest first by id).
    { name: 'waiting', keys: [{ path: ['status'], direction: 1 }, { path: ['waitingFor'], direction: 1 }], unique: false },
    { name: 'requested', keys: [{ path: ['requestedBy'], direction: 1 }], unique: false },
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
  /**
   * Who the current step waits for, as the list query matches it: `role:<name>`, `email:<address>`
   * or `user:<id>` (an approver field, resolved when the step became current — those fields are
   * locked while the approval is pending). Absent once the approval is decided.
   */
  waitingFor?: string;
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

/** The keys a principal is waited for under (see ApprovalData.waitingFor). */
export function waitingKeys(principal: { id: string; roles: readonly string[] }, email: string | undefined): string[] {
  return [`user:${principal.id}`, ...(email ? [`email:${email.toLowerCase()}`] : []), ...principal.roles.map((role) => `role:${role}`)];
}

export const approvalPageLimits = { default: 50, max: 200 } as const;

/**
 * A page of approvals, newest first, filtered in the store query (never read-then-filter: one
 * user's 500 requests must not push another's out of a window). `after` is the last id of the
 * previous page; `nextCursor` is set when there may be more.
 */
export async function listApprovals(
  reader: StoreReader,
  query: { status?: string; entity?: string; recordId?: string; requestedBy?: string; waitingFor?: readonly string[]; notRequestedBy?: string; after?: string; limit?: number },
): Promise<{ items: Approval[]; nextCursor?: string }> {
  const limit = query.limit ?? approvalPageLimits.default;
  const filter = andFilters(
    query.status ? where({ status: query.status }) : undefined,
    query.entity ? where({ entity: query.entity }) : undefined,
    query.recordId ? where({ recordId: query.recordId }) : undefined,
    query.requestedBy ? where({ requestedBy: query.requestedBy }) : undefined,
    query.waitingFor ? { kind: 'in', field: internalField('waitingFor'), values: [...query.waitingFor], negate: false } : undefined,
    query.notRequestedBy ? { kind: 'compare', field: internalField('requestedBy'), op: '$ne', value: query.notRequestedBy } : undefined,
    query.after ? { kind: 'compare', field: internalField('id'), op: '$lt', value: query.after } : undefined,
  );
  const rows = await reader.find(approvalsCollection.name, { filter, sort: [{ field: internalField('id'), direction: -1 }], limit: limit + 1 });
  const items = rows.slice(0, limit).map(asApproval);
  return { items, ...(rows.length > limit ? { nextCursor: items[items.length - 1]!.id } : {}) };
}

export async function insertApproval(tx: StoreTransaction, id: string, data: ApprovalData): Promise<void> {
  await tx.insert(approvalsCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
}

/** Conditional on the version read: false when someone decided meanwhile. */
export async function replaceApproval(tx: StoreTransaction, approval: Approval, data: ApprovalData): Promise<boolean> {
  return tx.replace(approvalsCollection.name, { id: approval.id, version: approval.version + 1, revision: 0, data: data as unknown as Record<string, unknown> }, approval.version);
}
