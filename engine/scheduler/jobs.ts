// The durable job queue in the store (`_jobs`): what is due when, who holds the lease on it, how
// often it was tried and why it last failed. A lease is one conditional replace on the job's
// version, so exactly one process wins it; an expired lease (its holder died) can be won again.

import { andFilters, internalField, type FilterNode } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import type { CollectionSpec, StoreReader, StoreTransaction, StoredRecord, Store } from '../store/store-port.ts';

export const jobsCollection: CollectionSpec = {
  name: '_jobs',
  indexes: [
    { name: 'due', keys: [{ path: ['status'], direction: 1 }, { path: ['dueAt'], direction: 1 }], unique: false },
    { name: 'lease', keys: [{ path: ['status'], direction: 1 }, { path: ['leaseUntil'], direction: 1 }], unique: false },
    { name: 'key', keys: [{ path: ['key'], direction: 1 }], unique: false },
  ],
};

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobData {
  /** Which handler runs it: `action`, `cron`, `inState`, `date`, … */
  kind: string;
  /** When it is due (ISO, UTC): compared as strings. */
  dueAt: string;
  status: JobStatus;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  payload: Record<string, unknown>;
  /** Groups jobs of one origin (e.g. `cron:workflow:trigger`) for reconciliation and listing. */
  key?: string;
  leaseOwner?: string;
  /** ISO; a running job whose lease ended may be taken over. */
  leaseUntil?: string;
  createdAt: string;
  finishedAt?: string;
  lastError?: string;
  /** Short notes the handler left (e.g. "record left the state: nothing to do"). */
  note?: string;
}

export interface Job extends JobData {
  id: string;
  version: number;
}

export function asJob(row: StoredRecord): Job {
  return { id: row.id, version: row.version, ...(row.data as unknown as JobData) };
}

export interface NewJob {
  /** A deterministic id makes enqueueing idempotent across processes (a second insert is ignored). */
  id: string;
  kind: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  key?: string;
  maxAttempts?: number;
}

const status = internalField('status');
const dueAt = internalField('dueAt');
const leaseUntil = internalField('leaseUntil');

/** Inserts a job unless one with its id exists already; returns whether it was inserted. */
export async function enqueueJob(tx: StoreTransaction, job: NewJob, now: Date): Promise<boolean> {
  if (await tx.get(jobsCollection.name, job.id)) return false;
  const data: JobData = {
    kind: job.kind,
    dueAt: job.dueAt.toISOString(),
    status: 'pending',
    attempts: 0,
    maxAttempts: job.maxAttempts ?? 8,
    payload: job.payload,
    ...(job.key ? { key: job.key } : {}),
    createdAt: now.toISOString(),
  };
  try {
    await tx.insert(jobsCollection.name, { id: job.id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
    return true;
  } catch (error) {
    if (error instanceof CrmError && error.code === 'UNIQUE_VIOLATION') return false;
    throw error;
  }
}

/** Jobs that may be claimed at `now`: pending and due, or running with an expired lease. */
export async function findClaimable(reader: StoreReader, now: Date, limit: number): Promise<Job[]> {
  const at = now.toISOString();
  const due: FilterNode = andFilters({ kind: 'compare', field: status, op: '$eq', value: 'pending' }, { kind: 'compare', field: dueAt, op: '$lte', value: at });
  const expired: FilterNode = andFilters({ kind: 'compare', field: status, op: '$eq', value: 'running' }, { kind: 'compare', field: leaseUntil, op: '$lte', value: at });
  const rows = [
    ...(await reader.find(jobsCollection.name, { filter: due, sort: [{ field: dueAt, direction: 1 }], limit })),
    ...(await reader.find(jobsCollection.name, { filter: expired, sort: [{ field: leaseUntil, direction: 1 }], limit })),
  ];
  return rows.map(asJob);
}

/** Takes the lease: one conditional replace. Returns the claimed job, or undefined when another process won. */
export async function claimJob(store: Store, job: Job, owner: string, now: Date, leaseMs: number): Promise<Job | undefined> {
  const { id, version, ...data } = job;
  const claimed: JobData = { ...data, status: 'running', attempts: job.attempts + 1, leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() };
  const won = await store.transaction((tx) => tx.replace(jobsCollection.name, { id, version: version + 1, revision: 0, data: claimed as unknown as Record<string, unknown> }, version));
  return won ? { id, version: version + 1, ...claimed } : undefined;
}

/** Writes the outcome of a claimed job; false when the lease was lost meanwhile (taken over after expiry). */
export async function finishJob(store: Store, job: Job, change: Partial<JobData>): Promise<boolean> {
  const { id, version, ...data } = job;
  const next: Record<string, unknown> = { ...data, ...change };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return store.transaction((tx) => tx.replace(jobsCollection.name, { id, version: version + 1, revision: 0, data: next }, version));
}

export async function listJobs(reader: StoreReader, filter: FilterNode, limit = 200): Promise<Job[]> {
  const rows = await reader.find(jobsCollection.name, { filter, sort: [{ field: dueAt, direction: 1 }], limit });
  return rows.map(asJob);
}

/** Deletes finished jobs (done) that finished before `before`; returns how many. Failed jobs are kept for inspection. */
export async function purgeFinishedJobs(store: Store, before: Date, limit = 1000): Promise<number> {
  const rows = await store.find(jobsCollection.name, {
    filter: andFilters({ kind: 'compare', field: status, op: '$eq', value: 'done' }, { kind: 'compare', field: internalField('finishedAt'), op: '$lt', value: before.toISOString() }),
    sort: [],
    limit,
  });
  if (rows.length === 0) return 0;
  await store.transaction(async (tx) => {
    for (const row of rows) await tx.delete(jobsCollection.name, row.id, row.version);
  });
  return rows.length;
}

/**
 * Marks of effects already applied, one per job, written in the same transaction as the effect
 * (the record a job creates or changes): a job run again — a retry after its holder died — sees
 * the mark and does not apply its effect twice.
 */
export const effectMarksCollection: CollectionSpec = { name: '_jobEffects', indexes: [] };

export async function markEffect(tx: StoreTransaction, jobId: string, at: Date): Promise<void> {
  await tx.insert(effectMarksCollection.name, { id: jobId, version: 1, revision: 0, data: { at: at.toISOString() } });
}

export async function effectApplied(reader: StoreReader, jobId: string): Promise<boolean> {
  return (await reader.get(effectMarksCollection.name, jobId)) !== undefined;
}

/** The queue as an operator watches it: jobs due now and not yet run, jobs running, and how late the oldest due job is. */
export async function queueStats(reader: StoreReader, now: Date): Promise<{ due: number; running: number; lagMs: number }> {
  const at = now.toISOString();
  const dueFilter: FilterNode = andFilters({ kind: 'compare', field: status, op: '$eq', value: 'pending' }, { kind: 'compare', field: dueAt, op: '$lte', value: at });
  const [due, running, oldest] = await Promise.all([
    reader.count(jobsCollection.name, dueFilter),
    reader.count(jobsCollection.name, { kind: 'compare', field: status, op: '$eq', value: 'running' }),
    reader.find(jobsCollection.name, { filter: dueFilter, sort: [{ field: dueAt, direction: 1 }], limit: 1 }),
  ]);
  const oldestDue = oldest[0] ? asJob(oldest[0]).dueAt : undefined;
  return { due, running, lagMs: oldestDue ? Math.max(0, now.getTime() - Date.parse(oldestDue)) : 0 };
}

/**
 * Hands back the jobs `owner` still holds (a shutdown that could not wait for them): pending again,
 * due at once, the attempt not counted, so another process takes them now rather than after the lease.
 */
export async function releaseLeases(store: Store, owner: string): Promise<number> {
  const rows = await store.find(jobsCollection.name, {
    filter: andFilters({ kind: 'compare', field: status, op: '$eq', value: 'running' }, { kind: 'compare', field: internalField('leaseOwner'), op: '$eq', value: owner }),
    sort: [],
    limit: 1000,
  });
  let released = 0;
  for (const job of rows.map(asJob)) {
    if (await finishJob(store, job, { status: 'pending', attempts: Math.max(0, job.attempts - 1), leaseOwner: undefined, leaseUntil: undefined })) released++;
  }
  return released;
}
