// bench/servers/baseline-server: the code a team would write by hand for one entity instead of using
// the engine — express.json, one ajv schema compiled once at start-up, and the store port directly
// (same embedded SQLite store, same settings: WAL, synchronous=FULL), with a filter tree built by
// hand for the one list query it supports — and the same credential check the engine makes, written
// by hand: a bearer API token (`crmt_<id>.<secret>`: the token row by id, SHA-256 of the secret
// compared in constant time, expiry, then the user row: not disabled, same epoch, holds the role) or
// a session cookie (the session row, its secret's hash, expiry, the user; the CSRF token on writes).
// Runs as a child process of bench/run.ts.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { monotonicFactory } from 'ulid';
import { openStore } from '../../engine/store/open-store.ts';
import type { FilterNode, SortKey } from '../../engine/filter/filter-tree.ts';
import type { Store, StoredRecord } from '../../engine/store/store-port.ts';
import { serveCalls } from '../lib/child.ts';
import { baselineFields, baselineListIndex, dealInputSchema, entityName, type Credentials } from '../lib/deal.ts';
import { seedDeals } from '../lib/seed.ts';

const newId = monotonicFactory();
const ajv = new Ajv2020({ allErrors: true });
addFormats.default(ajv);
const validateDeal = ajv.compile(dealInputSchema);

class BadRequest extends Error {}
class Unauthorized extends Error {}

// The credential tables a team would keep: secrets stored only as SHA-256.
const tokens = 'apiToken';
const users = 'appUser';
const sessions = 'appSession';
interface TokenRow { userId: string; role: string; secretHash: string; epoch: number; expiresAt?: string }
interface SessionRow { userId: string; secretHash: string; csrfToken: string; epoch: number; expiresAt: string }
interface UserRow { roles: string[]; disabled: boolean; epoch: number }

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
const hashMatches = (secret: string, hash: string) => {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
};
const credential = /^([0-9A-Z]{26})\.([A-Za-z0-9_-]{40,60})$/;

async function liveUser(store: Store, userId: string, epoch: number): Promise<UserRow & { id: string }> {
  const row = await store.get(users, userId);
  const user = row?.data as UserRow | undefined;
  if (!user || user.disabled || user.epoch !== epoch) throw new Unauthorized();
  return { id: row!.id, ...user };
}

/** Who is calling: the bearer token or the session cookie (plus its CSRF token on writes), re-read on every request. */
async function authenticate(store: Store, req: Request): Promise<string> {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+crmt_(\S+)$/.exec(authorization);
    const parts = match ? credential.exec(match[1]!) : null;
    if (!parts) throw new Unauthorized();
    const row = await store.get(tokens, parts[1]!);
    const token = row?.data as TokenRow | undefined;
    if (!token || !hashMatches(parts[2]!, token.secretHash)) throw new Unauthorized();
    if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) throw new Unauthorized();
    const user = await liveUser(store, token.userId, token.epoch);
    if (!user.roles.includes(token.role)) throw new Unauthorized();
    return user.id;
  }
  const cookie = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const parts = cookie ? credential.exec(cookie) : null;
  if (!parts) throw new Unauthorized();
  const row = await store.get(sessions, parts[1]!);
  const session = row?.data as SessionRow | undefined;
  if (!session || !hashMatches(parts[2]!, session.secretHash) || Date.parse(session.expiresAt) <= Date.now()) throw new Unauthorized();
  const user = await liveUser(store, session.userId, session.epoch);
  if (req.method !== 'GET') {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !timingSafeEqual(Buffer.from(sha256(sent), 'hex'), Buffer.from(sha256(session.csrfToken), 'hex'))) throw new Unauthorized();
  }
  return user.id;
}

/** A user, an API token and a signed-in session in the baseline's own tables. */
async function issueCredentials(store: Store): Promise<Credentials> {
  const userId = newId();
  const tokenId = newId();
  const sessionId = newId();
  const tokenSecret = randomBytes(32).toString('base64url');
  const sessionSecret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + 12 * 3600_000).toISOString();
  await store.transaction(async (tx) => {
    await tx.insert(users, { id: userId, version: 1, revision: 0, data: { roles: ['dealDesk'], disabled: false, epoch: 1 } });
    await tx.insert(tokens, { id: tokenId, version: 1, revision: 0, data: { userId, role: 'dealDesk', secretHash: sha256(tokenSecret), epoch: 1 } });
    await tx.insert(sessions, { id: sessionId, version: 1, revision: 0, data: { userId, secretHash: sha256(sessionSecret), csrfToken, epoch: 1, expiresAt } });
  });
  return { token: `crmt_${tokenId}.${tokenSecret}`, cookie: `sid=${sessionId}.${sessionSecret}`, csrfToken };
}

/** `{ stage: 'open', amount: { $gt: 5 } }` and nothing else: the query this endpoint offers. */
function parseDealFilter(text: unknown): FilterNode {
  if (text === undefined) return { kind: 'true' };
  let json: unknown;
  try {
    json = JSON.parse(String(text));
  } catch {
    throw new BadRequest('filter is not JSON');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new BadRequest('filter must be an object');
  const children: FilterNode[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === 'stage' && typeof value === 'string') children.push({ kind: 'compare', field: baselineFields.stage, op: '$eq', value });
    else if (key === 'amount' && value && typeof value === 'object') {
      for (const [op, operand] of Object.entries(value)) {
        if (!['$gt', '$gte', '$lt', '$lte'].includes(op) || typeof operand !== 'number') throw new BadRequest(`bad amount condition ${op}`);
        children.push({ kind: 'compare', field: baselineFields.amount, op: op as '$gt', value: operand });
      }
    } else throw new BadRequest(`cannot filter on ${key}`);
  }
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}

function parseDealSort(text: unknown): SortKey[] {
  if (text === undefined) return [];
  return String(text)
    .split(',')
    .map((part) => {
      const name = part.replace(/^[-+]/, '') as keyof typeof baselineFields;
      if (!(name in baselineFields)) throw new BadRequest(`cannot sort on ${name}`);
      return { field: baselineFields[name], direction: part.startsWith('-') ? -1 : 1 };
    });
}

const present = (row: StoredRecord) => ({ id: row.id, version: row.version, ...row.data });

function createBaselineApp(store: Store): express.Express {
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  const signedIn: RequestHandler = async (req, res, next) => {
    try {
      res.locals['userId'] = await authenticate(store, req);
      next();
    } catch (error) {
      next(error);
    }
  };
  app.use('/api/data', signedIn);

  app.post(`/api/data/${entityName}`, async (req, res) => {
    if (!validateDeal(req.body)) {
      res.status(400).json({ error: { code: 'INVALID_RECORD', details: validateDeal.errors!.map((e) => ({ path: e.instancePath, message: e.message })) } });
      return;
    }
    const now = new Date().toISOString();
    const record: StoredRecord = {
      id: newId(),
      version: 1,
      revision: 0,
      data: { ...(req.body as object), createdAt: now, updatedAt: now, createdBy: res.locals['userId'] as string, updatedBy: res.locals['userId'] as string, owner: res.locals['userId'] as string },
    };
    await store.transaction((tx) => tx.insert(entityName, record));
    res.status(201).json(present(record));
  });

  app.get(`/api/data/${entityName}/:id`, async (req, res) => {
    const row = await store.get(entityName, req.params.id);
    if (!row) {
      res.status(404).json({ error: { code: 'NOT_FOUND' } });
      return;
    }
    res.json(present(row));
  });

  app.get(`/api/data/${entityName}`, async (req, res) => {
    const filter = parseDealFilter(req.query['filter']);
    const sort = parseDealSort(req.query['sort']);
    const limit = Math.min(1000, Math.max(1, Number(req.query['limit'] ?? 50) || 50));
    const rows = await store.find(entityName, { filter, sort, limit });
    res.json({ items: rows.map(present) });
  });

  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error instanceof BadRequest ? 400 : error instanceof Unauthorized ? 401 : 500).json({ error: { message: (error as Error).message } });
  };
  app.use(errors);
  return app;
}

let store: Store | undefined;
let server: Server | undefined;

serveCalls({
  async start(args: { dataDir: string }) {
    store = await openStore({ dataDir: args.dataDir });
    await store.syncCollection({ name: entityName, indexes: [baselineListIndex] });
    for (const name of [tokens, users, sessions]) await store.syncCollection({ name, indexes: [] });
    const app = createBaselineApp(store);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    server.keepAliveTimeout = 5000;
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  },
  credentials: () => issueCredentials(store!),
  memory() {
    const usage = process.memoryUsage();
    return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external };
  },
  seed: (args: { from: number; to: number; sampleSize?: number }) => seedDeals(store!, { ...args, revision: 0, by: 'anonymous' }),

  /** The floor under any create: one transaction with one insert, committed (WAL fsync), one after another. */
  async timeCommits(args: { iterations: number }) {
    const ms: number[] = [];
    for (let i = 0; i < args.iterations; i += 1) {
      const record: StoredRecord = { id: newId(), version: 1, revision: 0, data: { name: 'commit probe', stage: 'lost' } };
      const started = process.hrtime.bigint();
      await store!.transaction((tx) => tx.insert(entityName, record));
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return { ms };
  },
  async close() {
    if (server) await new Promise<void>((resolve) => {
      server!.close(() => resolve());
      server!.closeAllConnections();
    });
    await store?.close();
    server = undefined;
    store = undefined;
  },
});
