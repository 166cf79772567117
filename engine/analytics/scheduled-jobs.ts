// What analytics runs on a schedule, as jobs of the workflow module's scheduler: segments are
// recomputed, reports are sent by e-mail. One pending job per item for its next occurrence
// (deterministic id, so servers sharing the store queue it once); running it queues the following
// one, then does the work on the current metadata.

import type { AccessPolicy, Principal } from '../access/policy.ts';
import { andFilters, where } from '../filter/filter-tree.ts';
import type { Clock } from '../kernel/clock.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { ReportDefinition, SegmentDefinition } from '../metadata/generated/metadata.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { jobsCollection, listJobs } from '../scheduler/jobs.ts';
import type { JobContext, Scheduler } from '../scheduler/scheduler.ts';
import type { Store } from '../store/store-port.ts';
import { reportCsv, reportXlsx, runReport } from './reports.ts';
import { nextSegmentRun, refreshSegment, segmentOf } from '../records/segments.ts';

export interface ScheduledDeps {
  store: Store;
  runtime: ModelRuntime;
  clock: Clock;
  scheduler: Scheduler;
  timeZone: string;
  policy: () => AccessPolicy;
  mail: () => MailService | undefined;
}

interface Scheduled {
  kind: 'segment' | 'report';
  name: string;
  cron: string;
}

function scheduledItems(runtime: ModelRuntime): Scheduled[] {
  const set = runtime.model.set;
  return [
    ...set.list('segment').map((doc) => doc as unknown as SegmentDefinition).filter((s) => s.schedule !== undefined).map((s) => ({ kind: 'segment' as const, name: s.name, cron: s.schedule! })),
    ...set.list('report').map((doc) => doc as unknown as ReportDefinition).filter((r) => r.schedule !== undefined).map((r) => ({ kind: 'report' as const, name: r.name, cron: r.schedule!.cron })),
  ];
}

const keyOf = (kind: string, name: string) => `${kind}.${name}`;

export async function ensureScheduledJobs(deps: ScheduledDeps): Promise<void> {
  const now = deps.clock.now();
  const wanted = new Map(scheduledItems(deps.runtime).map((item) => [keyOf(item.kind, item.name), item]));
  // Pending jobs whose item or schedule is gone are dropped; each scheduled item has one.
  for (const kind of ['segment', 'report']) {
    for (const job of await listJobs(deps.store, andFilters(where({ kind, status: 'pending' })), 500)) {
      const item = wanted.get(job.key ?? '');
      if (!item || job.payload['cron'] !== item.cron) await deps.store.transaction((tx) => tx.delete(jobsCollection.name, job.id, job.version));
    }
  }
  for (const [key, item] of wanted) {
    if ((await listJobs(deps.store, andFilters(where({ key, status: 'pending' })), 1)).length > 0) continue;
    if ((await listJobs(deps.store, andFilters(where({ key, status: 'running' })), 1)).length > 0) continue;
    const next = nextSegmentRun(item.cron, deps.timeZone, now);
    if (next) await deps.scheduler.enqueue({ id: `${key}.${next.toISOString()}`, kind: item.kind, dueAt: next, key, payload: { name: item.name, cron: item.cron } });
  }
}

async function queueNext(deps: ScheduledDeps, job: JobContext['job'], cron: string): Promise<void> {
  const next = nextSegmentRun(cron, deps.timeZone, new Date(Date.parse(job.dueAt) + 1000));
  if (next) await deps.scheduler.enqueue({ id: `${job.key}.${next.toISOString()}`, kind: job.kind, dueAt: next, key: job.key ?? '', payload: job.payload });
}

export function segmentJobHandler(deps: ScheduledDeps) {
  return async ({ job }: JobContext): Promise<string> => {
    const { name, cron } = job.payload as { name: string; cron: string };
    const segment = segmentOf(deps.runtime.model, name);
    if (!segment || segment.schedule !== cron) return 'schedule changed or removed: nothing to do';
    await queueNext(deps, job, cron);
    const run = await refreshSegment({ store: deps.store, model: deps.runtime.model, name, clock: deps.clock, timeZone: deps.timeZone });
    return `${run.count} member(s), ${run.joined} joined, ${run.left} left`;
  };
}

/** The report's role as a caller: what it may read is what is sent. */
export function reportPrincipal(report: ReportDefinition): Principal {
  return { kind: 'token', id: `report:${report.name}`, roles: [report.schedule!.role], teams: [], admin: false };
}

export function reportJobHandler(deps: ScheduledDeps) {
  return async ({ job }: JobContext): Promise<string> => {
    const { name, cron } = job.payload as { name: string; cron: string };
    const model = deps.runtime.model;
    const report = model.set.get('report', name) as unknown as ReportDefinition | undefined;
    if (!report?.schedule || report.schedule.cron !== cron) return 'schedule changed or removed: nothing to do';
    await queueNext(deps, job, cron);
    const mail = deps.mail();
    if (!mail) return 'no mail service (SMTP_URL): not sent';
    const ctx = { principal: reportPrincipal(report), locale: 'en' as const, clock: deps.clock, model, policy: deps.policy() };
    const table = await runReport({ store: deps.store, ctx, report, timeZone: deps.timeZone });
    const format = report.schedule.format ?? 'xlsx';
    const title = typeof report.label === 'string' ? report.label : (report.label['en'] ?? report.name);
    const content = format === 'csv' ? reportCsv(table) : await reportXlsx(table, title);
    await mail.send({
      to: report.schedule.to,
      subject: title,
      text: `${title}: ${table.rows.length} row(s)${table.truncated ? ' (truncated)' : ''}, as of ${deps.clock.now().toISOString()}.`,
      attachments: [{ filename: `${report.name}.${format}`, content, contentType: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }],
    });
    return `sent to ${report.schedule.to.length} recipient(s)`;
  };
}
