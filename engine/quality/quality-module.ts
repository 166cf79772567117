// quality/: data quality beyond single writes — the duplicate scan, merging duplicates (and undoing
// a merge), cleansing jobs over stored records (in the background, and their undo), the data
// quality report. Plugs /api/quality and the merge log into the server, and closes a merge (its
// undo material goes: records/merge-log.ts) when a write to its survivor means it can no longer be undone.

import type { EngineModule } from '../capability/engine-module.ts';
import { findWorkflowRuntime } from '../workflow/workflow-module.ts';
import { cleanseChangesCollection, cleanseJobsCollection, type CleanseRunOptions } from './cleanse-records.ts';
import { CleanseRunner } from './cleanse-runner.ts';
import { closeMergesInto, mergesCollection } from '../records/merge-log.ts';
import { mergedAwayCollection } from '../records/merged-away.ts';
import { mergeBatchesCollection } from './merge-records.ts';
import { qualityApi } from './quality-openapi.ts';
import { qualityRoutes } from './quality-routes.ts';

/** `cleanse`: page and slice sizes of cleansing jobs (defaults: 500 records a page, 20 pages a slice). */
export function createQualityModule(options: { cleanse?: CleanseRunOptions } = {}): EngineModule {
  return {
    name: 'quality',
    collections: [mergesCollection, mergedAwayCollection, mergeBatchesCollection, cleanseJobsCollection, cleanseChangesCollection],
    start(engine) {
      const deps = () => ({ runtime: engine.runtime, clock: engine.clock, policy: engine.policy, authenticate: engine.authenticate });
      const cleansing = new CleanseRunner({
        store: engine.store, clock: engine.clock, policy: () => engine.policy, model: () => engine.runtime.model,
        events: engine.records.events, ...(options.cleanse ? { options: options.cleanse } : {}),
      });
      // The workflow module, which starts before this one, owns the scheduler.
      const scheduler = findWorkflowRuntime(engine)?.scheduler;
      if (scheduler) cleansing.useScheduler(scheduler);
      // A write to a merge's survivor (or its deletion) means the merge can no longer be undone: what it kept to undo it goes with the write.
      const unsubscribe = engine.records.events.subscribeInTransaction((tx, event) => {
        if (event.type !== 'updated' && event.type !== 'deleted') return undefined;
        return closeMergesInto(tx, { entity: event.entity, recordId: event.id, at: event.ctx.clock.now().toISOString(), reason: event.type === 'deleted' ? 'deleted' : 'changed' }).then(() => undefined);
      });
      return {
        routes: [{ path: '/api/quality', router: qualityRoutes(engine.store, () => engine.records.events, deps, cleansing) }],
        openapi: qualityApi,
        afterListen: () => cleansing.resumeInterrupted(),
        stop: () => {
          unsubscribe();
          return cleansing.idle();
        },
      };
    },
  };
}

export const qualityModule: EngineModule = createQualityModule();
