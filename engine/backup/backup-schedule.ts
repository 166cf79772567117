// Scheduled backups: an administrator sets a schedule (every N hours, keep the last K) kept in the
// store (`_backupSchedule`); the in-server scheduler runs a `scheduledBackup` job at each slot
// (slots are aligned on multiples of the interval since the epoch, UTC), keyed by its time so that
// several processes sharing the store make one archive per slot. Each run writes
// `backup-auto-<slot time>.tar.gz` into <data>/backups and deletes the oldest automatic archives beyond
// K; archives made by hand are never pruned. Time comes from the scheduler's clock.

import path from 'node:path';
import { readdir, rm } from 'node:fs/promises';
import { pointer, type IssueDetail } from '../kernel/errors.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { CollectionSpec, StoreReader, Store } from '../store/store-port.ts';
import { createBackup } from './backup-archive.ts';

export const backupScheduleCollection: CollectionSpec = { name: '_backupSchedule', indexes: [] };
export const scheduledBackupJobKind = 'scheduledBackup';
const scheduleId = 'schedule';
const hourMs = 60 * 60 * 1000;
export const autoNamePattern = /^backup-auto-[0-9TZ-]+\.tar\.gz$/;

export interface BackupSchedule {
  enabled: boolean;
  everyHours: number;
  keep: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const defaultSchedule: BackupSchedule = { enabled: false, everyHours: 24, keep: 7 };

/** The schedule a PUT body asks for, or its issues (JSON pointers, the caller's language). */
export function checkSchedule(body: unknown, locale: Locale): { schedule?: BackupSchedule; issues: IssueDetail[] } {
  const t = (en: string, zh: string) => localize({ en, zh }, locale);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { issues: [{ path: '', message: t('must be a JSON object', '必须是 JSON 对象') }] };
  const input = body as Record<string, unknown>;
  const issues: IssueDetail[] = [];
  for (const key of Object.keys(input)) if (!['enabled', 'everyHours', 'keep'].includes(key)) issues.push({ path: pointer(key), message: t('is not a known property (known: enabled, everyHours, keep)', '不是已知属性（可用：enabled、everyHours、keep）') });
  if (typeof input['enabled'] !== 'boolean') issues.push({ path: '/enabled', message: t('must be true or false', '必须是 true 或 false') });
  const whole = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (!whole(input['everyHours'], 1, 24 * 31)) issues.push({ path: '/everyHours', message: t('must be a whole number of hours from 1 to 744', '必须是 1 到 744 之间的整数小时') });
  if (!whole(input['keep'], 1, 100)) issues.push({ path: '/keep', message: t('must be a whole number from 1 to 100', '必须是 1 到 100 之间的整数') });
  if (issues.length > 0) return { issues };
  return { issues, schedule: { enabled: input['enabled'] as boolean, everyHours: input['everyHours'] as number, keep: input['keep'] as number } };
}

export async function loadSchedule(reader: StoreReader): Promise<BackupSchedule> {
  const row = await reader.get(backupScheduleCollection.name, scheduleId);
  return row ? (row.data as unknown as BackupSchedule) : defaultSchedule;
}

export async function saveSchedule(store: Store, schedule: BackupSchedule): Promise<void> {
  await store.transaction(async (tx) => {
    const current = await tx.get(backupScheduleCollection.name, scheduleId);
    const data = schedule as unknown as Record<string, unknown>;
    if (!current) await tx.insert(backupScheduleCollection.name, { id: scheduleId, version: 1, revision: 0, data });
    else await tx.replace(backupScheduleCollection.name, { id: scheduleId, version: current.version + 1, revision: 0, data }, current.version);
  });
}

/** The first slot strictly after `now`. */
export function nextSlot(now: Date, everyHours: number): Date {
  const interval = everyHours * hourMs;
  return new Date((Math.floor(now.getTime() / interval) + 1) * interval);
}

/** Enqueues the schedule's next slot (idempotent: the job id is the slot's time). */
export async function enqueueNextBackup(scheduler: Scheduler, schedule: BackupSchedule): Promise<void> {
  if (!schedule.enabled) return;
  const at = nextSlot(scheduler.clock.now(), schedule.everyHours);
  await scheduler.enqueue({ id: `backup-schedule-${schedule.everyHours}h-${at.toISOString()}`, kind: scheduledBackupJobKind, dueAt: at, payload: { everyHours: schedule.everyHours }, key: 'backup:schedule', maxAttempts: 3 });
}

/** One scheduled run: the archive, then the oldest automatic archives beyond `keep` removed. Returns the job note. */
/** `slot`: the time the run was planned for, which names the archive (the manifest says when it was made). */
export async function runScheduledBackup(args: { store: Store; dataDir: string; engineVersion: string; now: Date; slot: Date; payload: Record<string, unknown> }): Promise<string> {
  const schedule = await loadSchedule(args.store);
  if (!schedule.enabled) return 'schedule off: nothing written';
  if (args.payload['everyHours'] !== schedule.everyHours) return 'schedule changed since this run was planned: nothing written';
  const dir = path.join(args.dataDir, 'backups');
  const name = `backup-auto-${args.slot.toISOString().replace(/[:.]/g, '-')}.tar.gz`;
  await createBackup({ dataDir: args.dataDir, archive: path.join(dir, name), engineVersion: args.engineVersion, now: args.now });
  const autos = (await readdir(dir)).filter((n) => autoNamePattern.test(n)).sort();
  const pruned = autos.slice(0, Math.max(0, autos.length - schedule.keep));
  for (const old of pruned) await rm(path.join(dir, old), { force: true });
  return `${name} written${pruned.length > 0 ? `; ${pruned.length} older removed` : ''}`;
}
