// Two undos of one cleansing job at once (a double click, two admins): one puts the records back,
// the other is refused (409) and changes nothing. Both used to pass the "undone already" check,
// made before either wrote; the second then found every record changed since, restored none, and
// overwrote the job's undo summary with "restored 0". The engine's services on the real store; the
// two undos start together, so each checks the job before the other commits.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordEvents } from '../../engine/records/record-events.ts';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { checkCleanseRequest, loadCleanseJob, runCleanseSlice, startCleanseJob } from '../../engine/quality/cleanse-records.ts';
import { undoCleanseJob } from '../../engine/quality/cleanse-undo.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { openEngine } from '../../engine/server/start-server.ts';

const company = (cleansing?: unknown) => ({ kind: 'entity', name: 'company', label: 'Company', titleField: 'name', fields: { name: { type: 'text', required: true } }, ...(cleansing ? { cleansing } : {}) });
const planted = ['  Acme ', 'Beta  Ltd', ' Gamma'];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-cleanse-undo-twice-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('two undos of one cleansing job at once', () => {
  it('lets one restore and refuses the other, keeping the first one’s summary', async () => {
    const clock = new ManualClock('2026-03-01T09:00:00.000Z');
    const engine = await openEngine({ dataDir: path.join(work, 'data'), clock, env: {} });
    try {
      const { runtime, policy, records, store } = engine.services;
      const ctxOf = (): RequestContext => ({ principal: systemPrincipal('test'), locale: 'en', clock, model: runtime.model, policy });
      await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'company', document: company() as never }]), { by: 'test' });
      const ids: string[] = [];
      for (const name of planted) ids.push((await records.create(ctxOf(), 'company', { name })).record.id as string);
      await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'company', document: company({ name: { trim: true } }) as never }]), { by: 'test' });
      const entity = runtime.model.entities.get('company')!;
      const { id } = await startCleanseJob({ store, ctx: ctxOf(), entity, request: checkCleanseRequest(entity, { dryRun: false }, 'en').request!, enqueue: async () => undefined });
      while ((await runCleanseSlice({ store, context: ctxOf, id, events: new RecordEvents() })) === 'more');

      const undo = () => undoCleanseJob({ store, ctx: ctxOf(), id, dryRun: false, events: new RecordEvents() });
      const outcomes = await Promise.allSettled([undo(), undo()]);
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value);
      const rejected = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason);
      expect(fulfilled).toEqual([expect.objectContaining({ restored: planted.length, changedSince: [] })]);
      expect(rejected).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
      expect((await loadCleanseJob(store, id))!.job).toMatchObject({ status: 'undone', undo: { restored: planted.length, changedSince: 0 } });
      expect(await Promise.all(ids.map(async (rid) => (await store.get('company', rid))!.data['name']))).toEqual(planted);
    } finally {
      await engine.close();
    }
  });
});
