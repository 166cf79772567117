// A merge's dry run is the merge in a transaction that is rolled back: on a store whose transactions
// cannot roll back (MongoDB without a replica set: atomicTransactions false) it would merge for
// real, so it is refused before anything runs. The rehearsal itself is covered over HTTP in
// duplicates-merge.test.ts.

import { describe, expect, it } from 'vitest';
import type { CompiledEntity } from '../../engine/compile/compiled-model.ts';
import { CrmError } from '../../engine/kernel/errors.ts';
import { rehearseMerge } from '../../engine/quality/merge-records.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import type { Store } from '../../engine/store/store-port.ts';

describe('merge rehearsal on a store that cannot roll back', () => {
  it('is refused with a 409 in en and zh, and no transaction is started', async () => {
    let transactions = 0;
    const store = {
      kind: 'mongodb',
      atomicTransactions: false,
      transaction: async () => {
        transactions += 1;
        throw new Error('must not run');
      },
    } as unknown as Store;
    const error = await rehearseMerge({ store, ctx: {} as RequestContext, entity: {} as CompiledEntity, request: { survivor: 'a', merged: ['b'] } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CrmError);
    expect((error as CrmError).code).toBe('CONFLICT');
    expect((error as CrmError).text).toMatchObject({ en: expect.stringMatching(/roll back/), zh: expect.stringMatching(/回滚/) });
    expect(transactions).toBe(0);
  });
});
