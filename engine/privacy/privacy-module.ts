// The privacy module: subject export and erasure over HTTP, and retention run by the in-server
// scheduler once a day (at 00:00 in CRM_TIME_ZONE, the clock's zone): a `privacyRetention` job per
// day, keyed by its date so that several processes sharing the store enqueue it once; the
// scheduler's lease runs it once. With CRM_ERASURE_LOG, erasures this data predates (a backup
// restored) are applied again at start, before the server serves anyone (erasure-ledger.ts).

import { systemPrincipal } from '../access/policy.ts';
import { timeZoneOf } from '../kernel/clock.ts';
import { addDays, localDate, startOfLocalDay } from '../kernel/time-zones.ts';
import { findWorkflowRuntime } from '../workflow/workflow-module.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { privacyApi } from './privacy-openapi.ts';
import { privacyRoutes } from './privacy-routes.ts';
import { runRetention } from './run-retention.ts';
import { eraseSubject } from './erase-subject.ts';
import { erasuresCollection, reconcileLedger } from './erasure-ledger.ts';

export const retentionJobKind = 'privacyRetention';

export const privacyModule: EngineModule = {
  name: 'privacy',
  collections: [erasuresCollection],
  async start(services) {
    const ledgerFile = services.settings.erasureLog;
    if (ledgerFile) {
      const { store, runtime, clock } = services;
      await reconcileLedger({
        store, model: runtime.model, file: ledgerFile,
        erase: async (identifier, entry) => (await eraseSubject({ store, model: runtime.model, identifier, by: systemPrincipal('erasure ledger').id, now: clock.now(), replaying: entry, ...(services.dataDir ? { dataDir: services.dataDir } : {}) })).erased.length,
      });
    }
    const deps = { runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate, store: services.store, ...(services.dataDir ? { dataDir: services.dataDir } : {}), ...(ledgerFile ? { ledgerFile } : {}) };
    return {
      routes: [{ path: '/api/privacy', router: privacyRoutes(deps) }],
      openapi: privacyApi,
      afterListen() {
        // The scheduler belongs to the workflow module, which starts after this one.
        const scheduler = findWorkflowRuntime(services)?.scheduler;
        if (!scheduler) return;
        scheduler.register(retentionJobKind, async ({ now }) => {
          const done = await runRetention(services, now);
          return `${done.filter((d) => d.action === 'anonymized').length} anonymized, ${done.filter((d) => d.action === 'deleted').length} deleted`;
        });
        scheduler.onBeforeRun(async () => {
          const hasRules = [...services.runtime.model.entities.values()].some((e) => e.definition.privacy?.retentionDays && e.definition.privacy.retentionAction);
          if (!hasRules) return;
          // The day a run at this very midnight belongs to is the one it starts.
          const zone = timeZoneOf(services.clock);
          const day = localDate(new Date(services.clock.now().getTime() - 1), zone);
          // Today's run (if not yet enqueued, e.g. the first start) and tomorrow's.
          for (const date of [day, addDays(day, 1)]) {
            await scheduler.enqueue({ id: `privacy-retention-${date}`, kind: retentionJobKind, dueAt: new Date(startOfLocalDay(date, zone)), payload: {}, key: 'privacy:retention', maxAttempts: 3 });
          }
        });
      },
    };
  },
};
