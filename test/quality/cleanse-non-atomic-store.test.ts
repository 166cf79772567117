// A cleansing job on a store that cannot roll back (a standalone MongoDB server). A page whose last
// record is refused (its cleansed phone clashes with another record's) used to run again after the
// updates before it had stayed written, while their audit entries and undo records — held to the
// end of the page — had not: the run again saw them cleansed already and wrote nothing, so the job
// counted 0 written and could not undo them. The real store, wrapped to commit every write at once;
// the same job on the real, atomic store is the reference. Its undo, which that store cannot roll
// back, checks every record first: a restored value another record now holds refuses it before any write.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordEvents } from '../../engine/records/record-events.ts';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { cleanseChangesCollection, checkCleanseRequest, runCleanseSlice, startCleanseJob, loadCleanseJob } from '../../engine/quality/cleanse-records.ts';
import { undoCleanseJob } from '../../engine/quality/cleanse-undo.ts';
import { auditCollection } from '../../engine/records/audit-trail.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { openEngine } from '../../engine/server/start-server.ts';
import { withoutRollback } from '../support/non-atomic-store.ts';

const fields = { name: { type: 'text', required: true }, phone: { type: 'phone', unique: true } };
const company = (cleansing?: unknown) => ({ kind: 'entity', name: 'company', label: 'Company', titleField: 'name', fields, ...(cleansing ? { cleansing } : {}) });
// Stored before the entity had cleansing rules; ids ascend in this order (the job's page order).
// The last one's number, in E.164, is the first one's: refused on write, after the others were written.
const planted: [string, string][] = [
  ['Acme', '+44 20 7946 0001'],
  ['  Beta   Ltd ', '+442079460002'],
  ['Ｇａｍｍａ', '020 7946 0003'],
  ['Ｅｐｓｉｌｏｎ  Co', '020-7946-0004'],
  ['Zeta', '020 7946 0001'],
];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-cleanse-non-atomic-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function cleanseIn(name: string, rollback: boolean) {
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const engine = await openEngine({ dataDir: path.join(work, name), clock, env: {} });
  try {
    const { runtime, policy, records } = engine.services;
    const ctxOf = (): RequestContext => ({ principal: systemPrincipal('test'), locale: 'en', clock, model: runtime.model, policy });
    await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'company', document: company() as never }]), { by: 'test' });
    const ids: string[] = [];
    for (const [n, phone] of planted) {
      clock.advance(1000);
      ids.push((await records.create(ctxOf(), 'company', { name: n, phone })).record.id as string);
    }
    await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'company', document: company({ name: { trim: true, halfWidth: true }, phone: { phone: 'GB' } }) as never }]), { by: 'test' });
    const store = rollback ? engine.services.store : withoutRollback(engine.services.store);
    const entity = runtime.model.entities.get('company')!;
    const { request } = checkCleanseRequest(entity, { dryRun: false }, 'en');
    const { id } = await startCleanseJob({ store, ctx: ctxOf(), entity, request: request!, enqueue: async () => undefined });
    while ((await runCleanseSlice({ store, context: ctxOf, id, events: new RecordEvents() })) === 'more');
    const job = (await loadCleanseJob(store, id))!.job;
    const audit = (await store.find(auditCollection.name, { filter: { kind: 'true' }, sort: [], limit: 1000 })).filter((e) => e.data['action'] === 'cleanse').map((e) => e.data['recordId']);
    const changes = (await store.find(cleanseChangesCollection.name, { filter: { kind: 'true' }, sort: [], limit: 1000 })).map((c) => c.data['recordId']);
    const after = await Promise.all(ids.map(async (rid) => (await store.get('company', rid))!.data));
    const undo = await undoCleanseJob({ store, ctx: ctxOf(), id, dryRun: false, events: new RecordEvents() });
    const undone = await Promise.all(ids.map(async (rid) => (await store.get('company', rid))!.data));
    return { ids, job, audit: audit.sort(), changes: changes.sort(), after: after.map((d) => [d['name'], d['phone']]), undo, undone: undone.map((d) => [d['name'], d['phone']]) };
  } finally {
    await engine.close();
  }
}

describe('a cleansing job on a store that cannot roll back', () => {
  it('writes each record once with its audit entry and undo record, refuses only the clashing one, and undoes what it wrote', { timeout: 120_000 }, async () => {
    const reference = await cleanseIn('atomic', true);
    const standalone = await cleanseIn('standalone', false);
    // From the planted data: every record changes (stored as typed, before the rules); Zeta is refused, the rest written.
    const written = reference.ids.slice(0, 4).sort();
    expect(reference.job.counts).toEqual({ records: 5, changed: 5, written: 4, refused: 1 });
    expect(reference.audit).toEqual(written);
    expect(reference.after).toEqual([['Acme', '+442079460001'], ['Beta Ltd', '+442079460002'], ['Gamma', '+442079460003'], ['Epsilon Co', '+442079460004'], ['Zeta', '020 7946 0001']]);
    expect(standalone.job.status).toBe('done');
    expect(standalone.job.counts).toEqual(reference.job.counts);
    expect(standalone.job.refused.map((r) => r.id)).toEqual([standalone.ids[4]]);
    expect(standalone.audit).toEqual(standalone.ids.slice(0, 4).sort());
    expect(standalone.changes).toEqual(standalone.ids.slice(0, 4).sort());
    expect(standalone.after).toEqual(reference.after);
    expect(standalone.undo).toMatchObject({ restored: 4, changedSince: [] });
    expect(standalone.undone).toEqual(planted.map(([n, p]) => [n, p]));
  });

  it('refuses an undo whose restored value another record now holds, before writing anything', { timeout: 120_000 }, async () => {
    const clock = new ManualClock('2026-03-01T09:00:00.000Z');
    const engine = await openEngine({ dataDir: path.join(work, 'standalone-clash'), clock, env: {} });
    try {
      const { runtime, policy, records } = engine.services;
      const ctxOf = (): RequestContext => ({ principal: systemPrincipal('test'), locale: 'zh', clock, model: runtime.model, policy });
      await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'company', document: company() as never }]), { by: 'test' });
      const ids: string[] = [];
      for (const [n, phone] of planted.slice(0, 4)) {
        clock.advance(1000);
        ids.push((await records.create(ctxOf(), 'company', { name: n, phone })).record.id as string);
      }
      await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'company', document: company({ name: { trim: true, halfWidth: true }, phone: { phone: 'GB' } }) as never }]), { by: 'test' });
      const store = withoutRollback(engine.services.store);
      const entity = runtime.model.entities.get('company')!;
      const { id } = await startCleanseJob({ store, ctx: ctxOf(), entity, request: checkCleanseRequest(entity, { dryRun: false }, 'en').request!, enqueue: async () => undefined });
      while ((await runCleanseSlice({ store, context: ctxOf, id, events: new RecordEvents() })) === 'more');
      const cleansed = await Promise.all(ids.map(async (rid) => (await store.get('company', rid))!.data['phone']));
      // Without the rule again, a new record takes the number the last one had before the cleanse.
      await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'company', document: company() as never }]), { by: 'test' });
      const holder = (await records.create(ctxOf(), 'company', { name: 'Holder', phone: planted[3]![1] })).record.id as string;
      const refused = await undoCleanseJob({ store, ctx: ctxOf(), id, dryRun: false, events: new RecordEvents() }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'UNIQUE_VIOLATION', details: [{ path: `/company/${ids[3]}/phone`, message: expect.stringContaining(holder) }] });
      expect((refused as { details: { message: string }[] }).details[0]!.message).toMatch(/[\u3400-\u9fff]/);
      expect(await Promise.all(ids.map(async (rid) => (await store.get('company', rid))!.data['phone']))).toEqual(cleansed);
      expect((await loadCleanseJob(store, id))!.job.status).toBe('done');
    } finally {
      await engine.close();
    }
  });
});
