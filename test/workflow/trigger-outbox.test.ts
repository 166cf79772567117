// The jobs a create trigger queues commit in the same transaction as the record: a process that
// dies right after the commit — before any after-commit listener ran — loses nothing. The next
// server on the same data folder runs the job on its first tick.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { createRecord } from '../../engine/records/write-record.ts';
import { startTestServer } from '../support/test-server.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-outbox-'));
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

const metadata = [
  { kind: 'entity', name: 'ticket', label: 'Ticket', fields: { subject: { type: 'text', required: true } } },
  { kind: 'entity', name: 'task', label: 'Task', fields: { title: { type: 'text', required: true }, ticket: { type: 'lookup', to: 'ticket' } } },
  {
    kind: 'workflow', name: 'ticketAutomation', entity: 'ticket', label: 'Ticket automation',
    triggers: { onCreate: { on: 'create', actions: ['createTask'] } },
    actions: { createTask: { type: 'createRecord', entity: 'task', values: { ticket: 'id', title: "'Follow up: ' & subject" } } },
  },
];

describe('trigger jobs commit with the write', () => {
  it('survives a crash between the commit and the after-commit listeners', async () => {
    const first = await startTestServer({ dataDir });
    let ticketId: string;
    try {
      expect((await first.post('/api/meta/apply', metadata)).status).toBe(200);
      const { store, runtime, records, services } = first.server;
      // The write as the record service makes it, but nothing after the commit runs: as if the
      // process died the moment the transaction committed.
      const ctx = { principal: systemPrincipal('outbox-test'), locale: 'en' as const, clock: first.clock, model: runtime.model, policy: services.policy };
      const created = await createRecord(store, ctx, 'ticket', { subject: 'Printer on fire' }, { events: records.events });
      ticketId = String(created.record['id']);
      expect((await first.get('/api/data/task?total=1')).body.total).toBe(0);
    } finally {
      await first.close();
    }

    const second = await startTestServer({ dataDir });
    try {
      expect((await second.post('/api/scheduler/tick')).status).toBe(200);
      const tasks = (await second.get('/api/data/task')).body.items;
      expect(tasks).toEqual([expect.objectContaining({ ticket: ticketId, title: 'Follow up: Printer on fire' })]);
    } finally {
      await second.close();
    }
  });
});
