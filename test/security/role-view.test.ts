// Paths without a calling user — webhook payloads per the hook's configured role, exports — see a
// record through the same policy: hidden fields left out, an unreadable entity not at all.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalForRole, visibleRecord } from '../../engine/access/role-view.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('a record as one role sees it (webhook payloads)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const documents = [
      { kind: 'entity', name: 'order', label: 'Order', fields: { number: { type: 'text' }, total: { type: 'number' }, costPrice: { type: 'number' } } },
      { kind: 'entity', name: 'salary', label: 'Salary', fields: { amount: { type: 'number' } } },
      { kind: 'role', name: 'erpHook', label: 'ERP hook', permissions: { order: { read: 'all', defaultFieldAccess: 'read', fields: { costPrice: 'hidden' } } } },
    ];
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('leaves hidden fields out and refuses entities the role cannot read', () => {
    const { policy, runtime } = server.server.services;
    const hook = principalForRole('erpHook', 'webhook:orders.notifyErp');
    const order = runtime.model.entities.get('order')!;
    const values = { id: 'o1', version: 2, number: 'A-1', total: 120, costPrice: 80, owner: 'u1' };
    expect(visibleRecord(policy, hook, order, values)).toEqual({ id: 'o1', version: 2, number: 'A-1', total: 120, owner: 'u1' });
    expect(visibleRecord(policy, hook, runtime.model.entities.get('salary')!, { id: 's1', amount: 1 })).toBeUndefined();
    expect(visibleRecord(policy, principalForRole('noSuchRole'), order, values)).toBeUndefined();
  });
});
