// bench/lib/seed: fills a collection fast, straight through the store port (not over HTTP) — batched
// transactions of inserts on the same embedded store the server uses. Records look exactly like
// records the engine created (values plus system fields); no audit entries are written for them.

import { getRandomValues } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Store } from '../../engine/store/store-port.ts';
import { dealDocument, entityName } from './deal.ts';

// ulid's default source asks crypto for one byte per character (16 calls an id); loading a million
// records takes random bytes from a pool instead.
const pool = new Uint8Array(16_384);
let poolAt = pool.length;
function pooledRandom(): number {
  if (poolAt >= pool.length) {
    getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++]! / 256;
}
const newId = monotonicFactory(pooledRandom);
export const seedBatchSize = 5_000;

export interface SeedResult {
  inserted: number;
  ms: number;
  /** Up to `sampleSize` ids spread over the inserted records, for GET benchmarks. */
  sampleIds: string[];
}

/** Inserts records `from` … `to - 1` of the deterministic sequence. */
export async function seedDeals(store: Store, args: { from: number; to: number; revision: number; by: string; sampleSize?: number }): Promise<SeedResult> {
  const started = process.hrtime.bigint();
  const count = args.to - args.from;
  const every = Math.max(1, Math.floor(count / Math.max(1, args.sampleSize ?? 1)));
  const sampleIds: string[] = [];
  for (let start = args.from; start < args.to; start += seedBatchSize) {
    const end = Math.min(args.to, start + seedBatchSize);
    await store.transaction(async (tx) => {
      for (let i = start; i < end; i += 1) {
        const id = newId();
        await tx.insert(entityName, { id, version: 1, revision: args.revision, data: dealDocument(i, args.by) });
        if (args.sampleSize && (i - args.from) % every === 0 && sampleIds.length < args.sampleSize) sampleIds.push(id);
      }
    });
  }
  return { inserted: count, ms: Number(process.hrtime.bigint() - started) / 1e6, sampleIds };
}
