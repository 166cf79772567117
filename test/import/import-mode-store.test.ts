// A dry run and the check phase of all-or-nothing are batches rolled back: on a store that cannot
// roll back (MongoDB without a replica set: atomicTransactions false) they would write for real, so
// those modes are refused before anything is read or written; validOnly goes on as before.

import { describe, expect, it } from 'vitest';
import { CrmError } from '../../engine/kernel/errors.ts';
import { ImportService } from '../../engine/import/import-service.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import type { Store } from '../../engine/store/store-port.ts';

describe('import modes on a store that cannot roll back', () => {
  const store = { kind: 'mongodb', atomicTransactions: false, find: async () => [], get: async () => undefined } as unknown as Store;
  const service = new ImportService({ store, dataDir: '/nonexistent', templateRoots: [] } as unknown as ConstructorParameters<typeof ImportService>[0]);
  const ctx = { locale: 'zh', principal: { id: 'u', admin: true }, policy: { assertAdmin: () => undefined } } as unknown as RequestContext;
  const start = (mode: 'dryRun' | 'allOrNothing' | 'validOnly') =>
    service.startJob({ ctx, file: { path: '/nonexistent/x.csv', name: 'x.csv' }, mapping: 'no-such-mapping', mode, history: false }).then(
      () => undefined,
      (e: unknown) => e as CrmError,
    );

  it.each(['dryRun', 'allOrNothing'] as const)('refuses %s with a 409 at /mode, in the caller\u2019s language', async (mode) => {
    const error = await start(mode);
    expect(error).toBeInstanceOf(CrmError);
    expect(error!.code).toBe('CONFLICT');
    expect(error!.details).toEqual([expect.objectContaining({ path: '/mode', message: expect.stringMatching(/回滚/), text: expect.objectContaining({ en: expect.stringMatching(new RegExp(`^${mode} needs a store that can roll back`)) }) })]);
  });

  it('lets validOnly through to the usual checks (here: the mapping is unknown)', async () => {
    const error = await start('validOnly');
    expect(error!.code).toBe('NOT_FOUND');
  });
});
