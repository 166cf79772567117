// The delivery job of one subscription (at most one queued per subscription): takes pending rows
// in commit order, delivers each record's rows one after another (records side by side), and
// marks each row delivered or failed with its next attempt time. A record whose row failed waits
// for it: its later rows are never sent first. When a whole round got nothing through, the round
// counts as failed; after `pauseAfterFailures` such rounds the subscription pauses and the
// administrators are told. The job ends when nothing is pending (and says so in the state).

import { localize, type Locale } from '../kernel/i18n.ts';
import { putNotification, updateNotification } from '../notifications/inbox.ts';
import { RetryLater, backoffDelay, type JobContext } from '../scheduler/scheduler.ts';
import { insertAttempt, type DeliveryAttempt } from '../webhooks/deliveries.ts';
import { sendSignedPost } from '../webhooks/send-signed.ts';
import { subscriptionsOf, type CompiledSubscription } from './compile-subscriptions.ts';
import { loadState, pendingRows, replaceRow, saveState, type OutboxEntry, type OutboxRow } from './outbox.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { log } from '../kernel/log.ts';
import { activeAdmins } from '../security/user-store.ts';

const batchSize = 500;
const parallelRecords = 16;

/** Ends the job's turn: no job is queued any more (a later write or the sweep queues the next). */
async function release(deps: SubscriptionDeps, name: string, onlyIfIdle: boolean): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    if (onlyIfIdle && (await pendingRows(tx, name, 1)).length > 0) return false;
    const { pumpJob: _job, waitingUntil: _parked, ...state } = await loadState(tx, name);
    if (state.version > 0) await saveState(tx, name, { ...state, pumpScheduled: false });
    return true;
  });
}

/** What a round records when it ends, in one commit: each attempt's log entry and its row's new state. */
interface RoundLog {
  attempts: DeliveryAttempt[];
  rows: { row: OutboxEntry; change: Partial<OutboxRow> }[];
}

// Rows of one record go one after another (the next only once the previous was acknowledged);
// their bookkeeping is committed with the round's. A crash before that commit sends them again,
// in the same order: delivery is at least once, and X-CRM-Delivery names the duplicate.
async function deliverRecordRows(deps: SubscriptionDeps, subscription: CompiledSubscription, rows: OutboxEntry[], round: RoundLog): Promise<'delivered' | 'failed'> {
  for (const row of rows) {
    const now = deps.clock.now();
    const attempt = row.attempts + 1;
    const retryAt = new Date(now.getTime() + backoffDelay(attempt, deps.scheduler.backoffMs, deps.scheduler.maxBackoffMs));
    const outcome = await sendSignedPost({
      store: deps.store, clock: deps.clock, deliveryId: row.id, attempt, url: subscription.definition.url, secret: deps.env[subscription.definition.secretRef], body: row.body,
      logBody: false, retryAt, meta: { subscription: subscription.name, event: row.event, entity: row.entity, recordId: row.recordId, seq: row.seq }, logInto: round.attempts,
    });
    const change = outcome.ok
      ? { state: 'delivered' as const, attempts: attempt, deliveredAt: deps.clock.now().toISOString(), lastError: undefined }
      : { attempts: attempt, nextAttemptAt: retryAt.toISOString(), lastError: outcome.error ?? 'failed' };
    round.rows.push({ row, change });
    if (!outcome.ok) return 'failed';
  }
  return 'delivered';
}

async function pause(deps: SubscriptionDeps, subscription: CompiledSubscription, rounds: number): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const { pumpJob: _job, waitingUntil: _parked, ...state } = await loadState(tx, subscription.name);
    await saveState(tx, subscription.name, { ...state, paused: true, pausedAt: at, pumpScheduled: false });
  });
  // Only the admins are read: a directory of any size holds them all in its first page.
  const admins = await activeAdmins(deps.store).catch(() => []);
  const { name, definition } = subscription;
  for (const user of admins) {
    const locale: Locale = user.locale === 'zh' ? 'zh' : 'en';
    const subject = localize({ en: `Subscription ${name} paused after ${rounds} failed delivery rounds`, zh: `订阅 ${name} 连续 ${rounds} 轮投递失败，已暂停` }, locale);
    const body = localize({
      en: `Deliveries to ${definition.url} kept failing. Events are still recorded; POST /api/subscriptions/${name}/resume sends them.`,
      zh: `向 ${definition.url} 的投递持续失败。事件仍在记录；POST /api/subscriptions/${name}/resume 可恢复发送。`,
    }, locale);
    const email = deps.mail ? user.email : undefined;
    const notice = await putNotification(deps.store, `subscription.paused.${name}.${at}.${user.id}`, { userId: user.id, at, source: `subscription:${name}`, email: email ? { status: 'pending', to: email } : { status: 'none' }, subject, body });
    if (!email) continue;
    // Told by e-mail too when SMTP is configured; a failed e-mail does not stop the pause.
    try {
      await deps.mail!.send({ to: email, subject, text: body });
      await updateNotification(deps.store, notice, { email: { status: 'sent', to: email, at: deps.clock.now().toISOString() } });
    } catch (error) {
      log.warn(`[subscriptions] pause e-mail to ${email} failed:`, (error as Error).message);
    }
  }
  log.warn(`[subscriptions] ${subscription.name} paused after ${rounds} failed rounds`);
}

export function pumpJobHandler(deps: SubscriptionDeps) {
  return async ({ job }: JobContext): Promise<string> => {
    const name = String(job.payload['subscription']);
    // Only the job the state names delivers (a newer one took over from a parked one); it unparks.
    const current = await deps.store.transaction(async (tx) => {
      const { waitingUntil, ...state } = await loadState(tx, name);
      if (state.pumpJob !== undefined && state.pumpJob !== job.id) return false;
      if (waitingUntil !== undefined) await saveState(tx, name, state);
      return true;
    });
    if (!current) return 'stood down: a newer delivery job took over';
    let delivered = 0;
    for (let round = 0; round < 10_000; round++) {
      const subscription = subscriptionsOf(deps.runtime.model).get(name);
      const state = await loadState(deps.store, name);
      if (!subscription || subscription.definition.active === false || state.paused) {
        await release(deps, name, false);
        return `${delivered} delivered; ${state.paused ? 'paused' : 'inactive'}`;
      }
      const rows = await pendingRows(deps.store, name, batchSize);
      if (rows.length === 0) {
        if (await release(deps, name, true)) return `${delivered} delivered; nothing pending`;
        continue;
      }
      const now = deps.clock.now().toISOString();
      const byRecord = new Map<string, OutboxEntry[]>();
      const blocked = new Set<string>();
      let nextDue: string | undefined;
      for (const row of rows) {
        if (blocked.has(row.recordId)) continue;
        const group = byRecord.get(row.recordId);
        if (group) group.push(row);
        else if (row.nextAttemptAt > now) {
          blocked.add(row.recordId);
          if (!nextDue || row.nextAttemptAt < nextDue) nextDue = row.nextAttemptAt;
        } else byRecord.set(row.recordId, [row]);
      }
      if (byRecord.size === 0) {
        // Every pending event waits for a retry of its record: park until the first is due —
        // unless an event of another record came meanwhile (then go on). A later event wakes a
        // parked subscription (ensurePump), so one failing record never holds up the others.
        const parked = await deps.store.transaction(async (tx) => {
          if ((await pendingRows(tx, name, batchSize)).some((row) => !blocked.has(row.recordId))) return false;
          await saveState(tx, name, { ...(await loadState(tx, name)), pumpJob: job.id, waitingUntil: nextDue! });
          return true;
        });
        if (!parked) continue;
        throw new RetryLater(`${name}: waiting to retry`, Math.max(1, Date.parse(nextDue!) - deps.clock.now().getTime()));
      }
      const groups = [...byRecord.values()];
      const outcomes: ('delivered' | 'failed')[] = [];
      for (let start = 0; start < groups.length; start += parallelRecords) {
        const round: RoundLog = { attempts: [], rows: [] };
        outcomes.push(...(await Promise.all(groups.slice(start, start + parallelRecords).map((group) => deliverRecordRows(deps, subscription, group, round)))));
        await deps.store.transaction(async (tx) => {
          for (const attempt of round.attempts) await insertAttempt(tx, attempt);
          for (const { row, change } of round.rows) await replaceRow(tx, row, change);
        });
      }
      const got = outcomes.filter((o) => o === 'delivered').length;
      delivered += got;
      if (got > 0) {
        if (state.failedRounds > 0) await deps.store.transaction(async (tx) => saveState(tx, name, { ...(await loadState(tx, name)), failedRounds: 0 }));
        continue;
      }
      const failedRounds = state.failedRounds + 1;
      if (failedRounds >= subscription.pauseAfterFailures) {
        await pause(deps, subscription, failedRounds);
        return `${delivered} delivered; paused after ${failedRounds} failed rounds`;
      }
      await deps.store.transaction(async (tx) => saveState(tx, name, { ...(await loadState(tx, name)), failedRounds }));
      const retry = backoffDelay(failedRounds, deps.scheduler.backoffMs, deps.scheduler.maxBackoffMs);
      throw new RetryLater(`${name}: round ${failedRounds} failed`, retry);
    }
    await release(deps, name, false); // the sweep queues the next job for what is left
    return `${delivered} delivered; more next run`;
  };
}
