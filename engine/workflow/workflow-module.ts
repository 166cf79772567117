// Plugs workflows into the server: the system collections (jobs, approvals, state history,
// notifications, webhook deliveries), the record-event listener for triggers, the apply hooks for
// removed states and for date triggers whose due time changed, the routes, and the in-server scheduler (started after listen, stopped on close).
//
// Environment: SMTP_URL / SMTP_FROM (e-mail, through engine/mail), CRM_SCHEDULER_INTERVAL_MS (timer; default 5000 with
// the system clock, off with an injected clock — then call POST /api/scheduler/tick or
// scheduler.runDue()), CRM_JOB_LEASE_MS (default 300000), CRM_RETRY_BACKOFF_MS (default 30000),
// webhook signing secrets by each hook's `secretRef`.

import { systemClock, timeSource } from '../kernel/clock.ts';
import { closeMailService, mailServiceFor } from '../mail/mail-service.ts';
import { mailThreadsCollection } from '../mail/mail-threads.ts';
import { notificationsCollection } from '../notifications/inbox.ts';
import { approvalLockListener } from './approval-lock.ts';
import { chainDirectories, storeDirectory, type UserDirectory } from '../notifications/user-directory.ts';
import { effectMarksCollection, jobsCollection } from '../scheduler/jobs.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { deliveriesCollection } from '../webhooks/deliveries.ts';
import { approvalsCollection } from './approvals.ts';
import { recordWorkflowRoutes, workflowApiRoutes } from './http/workflow-routes.ts';
import { workflowApi } from './http/workflow-openapi.ts';
import { actionJobHandler, approvalNoticeHandler } from './run-action.ts';
import { stateHistoryCollection } from './state-history.ts';
import { createStateMigrationHook } from './state-migration.ts';
import { createDateJobRequeueHook } from './date-job-requeue.ts';
import { cronJobHandler, dateJobHandler, ensureCronJobs, inStateJobHandler, recordEventListener, recordTransactionListener } from './triggers.ts';
import type { WorkflowDeps } from './workflow-deps.ts';
import { WorkflowService } from './workflow-service.ts';
import { log } from '../kernel/log.ts';

export interface WorkflowModuleOptions {
  /** Users besides those of the security module (tests; a server without sign-in). */
  directory?: UserDirectory;
  /** Lease length and first retry delay; the environment's when omitted. */
  leaseMs?: number;
  backoffMs?: number;
}

/** The running module's parts, for tests and the CLI. */
export interface WorkflowRuntime {
  scheduler: Scheduler;
  service: WorkflowService;
}

const runtimes = new WeakMap<object, WorkflowRuntime>();

/** The scheduler and service a server started (keyed by its services object). */
export function findWorkflowRuntime(services: object): WorkflowRuntime | undefined {
  return runtimes.get(services);
}

export function createWorkflowModule(options: WorkflowModuleOptions = {}): EngineModule {
  return {
    name: 'workflow',
    collections: [jobsCollection, effectMarksCollection, approvalsCollection, stateHistoryCollection, notificationsCollection, deliveriesCollection, mailThreadsCollection],
    start(services) {
      const env = services.env;
      const scheduler = new Scheduler({
        store: services.store,
        clock: services.clock,
        leaseMs: options.leaseMs ?? services.settings.jobLeaseMs ?? 5 * 60_000,
        backoffMs: options.backoffMs ?? services.settings.retryBackoffMs ?? 30_000,
      });
      const mailer = mailServiceFor(services);
      const storeUsers = storeDirectory(services.store);
      const deps: WorkflowDeps = {
        store: services.store,
        records: services.records,
        runtime: services.runtime,
        scheduler,
        directory: options.directory ? chainDirectories(options.directory, storeUsers) : storeUsers,
        mailer,
        clock: services.clock,
        env,
        policy: () => services.policy,
      };
      const service = new WorkflowService(deps);
      scheduler.register('action', actionJobHandler(deps, service));
      scheduler.register('approvalNotice', approvalNoticeHandler(deps));
      scheduler.register('inState', inStateJobHandler(deps));
      scheduler.register('date', dateJobHandler(deps));
      scheduler.register('cron', cronJobHandler(deps));
      // Another process may have changed the metadata: jobs run on the latest revision.
      scheduler.onBeforeRun(async () => services.runtime.refreshIfStale(0));
      scheduler.onBeforeRun(() => ensureCronJobs(deps));
      scheduler.onBeforeRun(async () => {
        await scheduler.purgeFinished();
      });
      services.runtime.addApplyHook(createStateMigrationHook(deps));
      services.runtime.addApplyHook(createDateJobRequeueHook(deps));
      const unsubscribeInTransaction = services.records.events.subscribeInTransaction(recordTransactionListener(deps));
      const unsubscribeLock = services.records.events.subscribeInTransaction(approvalLockListener());
      const unsubscribe = services.records.events.subscribe(recordEventListener(deps));
      runtimes.set(services, { scheduler, service });
      const contextDeps = () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate });
      const interval = services.settings.schedulerIntervalMs ?? (timeSource(services.clock) === systemClock ? 5000 : 0);
      return {
        routes: [
          { path: '/api/data', router: recordWorkflowRoutes(service, contextDeps, deps) },
          { path: '/api', router: workflowApiRoutes(service, contextDeps, deps) },
        ],
        openapi: workflowApi,
        async afterListen() {
          await ensureCronJobs(deps).catch((error: unknown) => log.error('[workflow] cron jobs:', (error as Error).message));
          scheduler.start(interval);
        },
        readiness: {
          scheduler: () => (scheduler.status === 'running' || scheduler.status === 'off' ? true : `the scheduler is ${scheduler.status}`),
        },
        async stop(waitMs?: number) {
          unsubscribe();
          unsubscribeInTransaction();
          unsubscribeLock();
          await scheduler.stop(waitMs);
          closeMailService(services);
        },
      };
    },
  };
}

export const workflowModule: EngineModule = createWorkflowModule();
