// bench/servers/baseline-server: the code a team would write by hand for one entity instead of using
// the engine — express.json, one ajv schema compiled once at start-up, and the store port directly
// (same embedded SQLite store, same settings: WAL, synchronous=FULL), with a filter tree built by
// hand for the one list query it supports. Runs as a child process of bench/run.ts.

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express, { type ErrorRequestHandler } from 'express';
import { monotonicFactory } from 'ulid';
import { openStore } from '../../engine/store/open-store.ts';
import type { FilterNode, SortKey } from '../../engine/filter/filter-tree.ts';
import type { Store, StoredRecord } from '../../engine/store/store-port.ts';
import { serveCalls } from '../lib/child.ts';
import { baselineFields, baselineListIndex, dealInputSchema, entityName } from '../lib/deal.ts';
import { seedDeals } from '../lib/seed.ts';

const newId = monotonicFactory();
const ajv = new Ajv2020({ allErrors: true });
addFormats.default(ajv);
const validateDeal = ajv.compile(dealInputSchema);

class BadRequest extends Error {}

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
      data: { ...(req.body as object), createdAt: now, updatedAt: now, createdBy: 'anonymous', updatedBy: 'anonymous', owner: 'anonymous' },
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
    res.status(error instanceof BadRequest ? 400 : 500).json({ error: { message: (error as Error).message } });
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
    const app = createBaselineApp(store);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    server.keepAliveTimeout = 5000;
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
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
