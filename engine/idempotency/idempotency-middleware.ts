// The Idempotency-Key middleware for POSTs that act (creates, transitions, approval decisions,
// reassignments, inbound batches…). The key's document is claimed before the handler runs, marked
// inside every write transaction of the request (so the write and the mark commit together), and
// given the answer before that answer is sent. A retry then gets the same status, body and headers.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, RequestHandler, Response } from 'express';
import { CrmError } from '../kernel/errors.ts';
import type { Clock } from '../kernel/clock.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { Store, StoreTransaction } from '../store/store-port.ts';
import { runWithTransactionHook } from '../store/transaction-hooks.ts';
import {
  findKey, fingerprintOf, idempotencyCollection, insertPendingKey, keepMs, keyDocumentId, keyHashOf, pendingLeaseMs, purgeExpiredKeys, updateKey,
  type IdempotencyEntry, type KeptKey, type StoredAnswer, type WriteOutcome,
} from './idempotency-records.ts';
import { log } from '../kernel/log.ts';
import { keyPattern, takesIdempotencyKey } from './idempotency-paths.ts';

export interface IdempotencyDeps {
  store: Store;
  clock: Clock;
  records: RecordService;
  context: () => ContextDeps;
}

/** The request being served under a key: what its transactions mark. */
export interface ActiveClaim {
  id: string;
  open: boolean;
  outcomes: WriteOutcome[];
  beforeCommit(tx: StoreTransaction): Promise<void>;
}

const activeClaims = new AsyncLocalStorage<ActiveClaim>();

/** The claim of the request whose code is running (record events note their writes on it). */
export function findActiveClaim(): ActiveClaim | undefined {
  const claim = activeClaims.getStore();
  return claim?.open ? claim : undefined;
}

const keptHeaders = /^(content-type|etag|location|retry-after|x-crm-.*)$/;

function badKey(): CrmError {
  return new CrmError('BAD_REQUEST', { en: 'Idempotency-Key must be 1 to 255 visible ASCII characters', zh: 'Idempotency-Key 须为 1 到 255 个可见 ASCII 字符' }, [{ path: '/headers/idempotency-key', message: 'is not a valid key' }]);
}

function replay(res: Response, answer: StoredAnswer): void {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('Idempotent-Replayed', 'true');
  res.end(answer.body);
}

function answerHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) if (keptHeaders.test(name) && value !== undefined) out[name] = String(value);
  return out;
}

function bodyText(chunk: unknown): string {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return '';
  if (Buffer.isBuffer(chunk)) return chunk.toString('utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk).toString('utf8');
  return String(chunk);
}

/** A committed write whose answer was lost (the process died before storing it): answer from what is stored now. */
async function reconstruct(deps: IdempotencyDeps, ctx: RequestContext, kept: KeptKey, basePath: string): Promise<StoredAnswer> {
  const first = kept.outcomes?.[0];
  if (first) {
    try {
      const record = await deps.records.get(ctx, first.entity, first.id);
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', etag: `"${String(record['version'])}"` };
      if (first.type === 'created') headers['location'] = `${basePath}/data/${first.entity}/${first.id}`;
      return { status: first.type === 'created' ? 201 : 200, headers, body: JSON.stringify(record) };
    } catch {
      // The record has gone since (or out of reach): say what was done without it.
    }
  }
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ applied: true, outcomes: kept.outcomes ?? [] }) };
}

export function idempotencyMiddleware(deps: IdempotencyDeps): RequestHandler {
  const inFlight = new Map<string, Promise<void>>();
  let lastPurge = 0;

  const serve = (req: Request, res: Response, next: () => void, id: string): void => {
    let release!: () => void;
    inFlight.set(id, new Promise<void>((resolve) => (release = resolve)));
    const claim: ActiveClaim = {
      id,
      open: true,
      outcomes: [],
      async beforeCommit(tx) {
        if (!claim.open) return;
        const now = deps.clock.now();
        await updateKey(tx, id, (entry) => ({ ...entry, state: 'committed', leaseUntil: new Date(now.getTime() + pendingLeaseMs).toISOString(), outcomes: [...claim.outcomes] }));
      },
    };
    const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      claim.open = false;
      const answer: StoredAnswer = { status: res.statusCode, headers: answerHeaders(res), body: bodyText(args[0]) };
      const finishing = deps.store.transaction(async (tx) => {
        const kept = await findKey(tx, id);
        if (!kept) return;
        // Refused (4xx) or failed (5xx) before any write committed: nothing happened, so the key is
        // not spent — a retry may act, and a request corrected after a 400 or 422 may use it again.
        if (answer.status >= 400 && kept.state === 'pending') await tx.delete(idempotencyCollection.name, id, kept.version);
        else await updateKey(tx, id, (entry) => ({ ...entry, state: 'done', answer, outcomes: [...claim.outcomes] }));
      });
      void finishing
        .catch((error: unknown) => log.error('[idempotency] could not keep the answer:', (error as Error).message))
        .finally(() => {
          inFlight.delete(id);
          release();
          originalEnd(...args);
        });
      return res;
    }) as typeof res.end;
    activeClaims.run(claim, () => runWithTransactionHook(claim, next));
  };

  // Most requests carry no key: they pass without a promise (this runs for every request under /api).
  return (req, res, next) => {
    const header = req.headers['idempotency-key'];
    if (req.method !== 'POST' || header === undefined || !takesIdempotencyKey(req.path)) return next();
    return keyed(req, res, next, header);
  };

  async function keyed(req: Request, res: Response, next: () => void, header: string | string[]): Promise<void> {
    if (typeof header !== 'string' || !keyPattern.test(header)) throw badKey();
    const ctx = await contextFor(req, res, deps.context());
    if (ctx.principal.kind === 'anonymous') return next();
    const id = keyDocumentId(ctx.principal.id, header);
    const fingerprint = fingerprintOf('POST', req.originalUrl, req.body);
    const nowMs = deps.clock.now().getTime();
    if (nowMs - lastPurge > 3_600_000) {
      lastPurge = nowMs;
      void purgeExpiredKeys(deps.store, new Date(nowMs)).catch((error: unknown) => log.error('[idempotency] purge failed:', (error as Error).message));
    }
    for (let round = 0; round < 20; round++) {
      const now = deps.clock.now();
      let kept = await findKey(deps.store, id);
      if (kept && kept.expiresAt <= now.toISOString()) {
        await deps.store.transaction((tx) => tx.delete(idempotencyCollection.name, id, kept!.version));
        kept = undefined;
      }
      if (!kept) {
        const entry: IdempotencyEntry = {
          user: ctx.principal.id, keyHash: keyHashOf(header), fingerprint, state: 'pending', createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + keepMs).toISOString(), leaseUntil: new Date(now.getTime() + pendingLeaseMs).toISOString(),
        };
        if (await deps.store.transaction((tx) => insertPendingKey(tx, id, entry))) return serve(req, res, next, id);
        continue;
      }
      if (kept.fingerprint !== fingerprint) {
        throw new CrmError('IDEMPOTENCY_KEY_REUSED', undefined, [{ path: '/headers/idempotency-key', message: 'was first used with another method, path or body' }]);
      }
      if (kept.state === 'done' && kept.answer) return replay(res, kept.answer);
      const local = inFlight.get(id);
      if (local) {
        // The first request is served by this process: wait for its answer.
        await local;
        continue;
      }
      if (kept.leaseUntil > now.toISOString()) {
        res.setHeader('Retry-After', '1');
        throw new CrmError('IDEMPOTENCY_IN_PROGRESS', undefined, [{ path: '/headers/idempotency-key', message: 'the first request with this key has not been answered yet' }]);
      }
      // The first request's process is gone.
      if (kept.state === 'committed') {
        const answer = await reconstruct(deps, ctx, kept, req.baseUrl);
        await deps.store.transaction((tx) => updateKey(tx, id, (entry) => ({ ...entry, state: 'done', answer })));
        return replay(res, answer);
      }
      const takenOver = await deps.store.transaction(async (tx) => {
        const current = await findKey(tx, id);
        if (!current || current.version !== kept!.version) return false;
        const { id: _id, version, ...entry } = current;
        return tx.replace(idempotencyCollection.name, { id, version: version + 1, revision: 0, data: { ...entry, leaseUntil: new Date(now.getTime() + pendingLeaseMs).toISOString() } }, version);
      });
      if (takenOver) return serve(req, res, next, id);
    }
    throw new CrmError('IDEMPOTENCY_IN_PROGRESS');
  }
}
