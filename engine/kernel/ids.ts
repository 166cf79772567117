// kernel/ids: record and document ids — ULIDs (time-ordered, so keyset pages by id follow creation
// order), monotonic within one millisecond. The ulid library asks the OS for randomness one byte at
// a time (16 calls, ~50 µs per id); a pooled buffer of crypto-random bytes makes that ~1 µs.

import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const pool = new Uint32Array(1024);
let next = pool.length;

/** A uniform float in [0, 1) from the pooled cryptographic random bytes. */
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 0x1_0000_0000;
}

/** A new ULID, greater than every id this process made before. */
export const newId: () => string = monotonicFactory(pooledRandom);
