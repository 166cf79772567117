// quality/quality-cache: quality reports kept between requests. A report reads every record of its
// entity (and finds its duplicate clusters), so a dashboard with a quality widget would scan the
// entity on every load. A kept report serves while nothing could have changed it: the same compiled
// entity (a metadata change compiles a new one), scope, staleDays and language; no write by this
// process to the entity since (store/write-watch.ts); nothing committed by another process (the
// store's change marker, where it has one); and younger than `maxAgeMs` by the request's clock —
// which bounds what a store without a marker (MongoDB) may miss, and how far the stale count drifts.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { FilterNode } from '../filter/filter-tree.ts';
import type { Locale } from '../kernel/i18n.ts';
import { metricsFor } from '../ops/metrics.ts';
import type { StoreReader } from '../store/store-port.ts';
import { writeWatchOf } from '../store/write-watch.ts';
import type { Clock } from '../kernel/clock.ts';
import type { CompiledDuplicateRule } from '../compile/compiled-model.ts';
import { buildQualityReport, type QualityReport } from './quality-report.ts';

/** How long a kept report serves at most. */
export const qualityReportMaxAgeMs = 60_000;
const maxEntriesPerEntity = 50;

interface Entry {
  report: Promise<QualityReport>;
  at: number;
  marker: number;
  generation: number;
}

interface Kept {
  /** Per compiled entity (per revision: an old one is dropped with its model), per scope/days/language. */
  entries: WeakMap<CompiledEntity, Map<string, Entry>>;
  /** Writes this process made per entity collection, counted since the first report of each. */
  generations: Map<string, number>;
  unsubscribe: Map<string, () => void>;
}

const keptByReader = new WeakMap<StoreReader, Kept>();

export interface QualityReportArgs {
  reader: StoreReader;
  entity: CompiledEntity;
  scope: FilterNode;
  now: Date;
  /** Rules read the clock ($now, $today) as writes do. */
  clock: Clock;
  staleDays: number;
  locale: Locale;
  /** The duplicate rules that count: those over fields the caller may read (readableDuplicateRules). */
  rules: readonly CompiledDuplicateRule[];
  /** The fields the caller may read: the only ones completeness, the invalid records and the score count. */
  fields: ReadonlySet<string>;
}

/**
 * The entity's quality report, kept or built (counted by the engine's metrics as either). Concurrent
 * requests for the same report share one build. Without a write watch on the reader (a transaction, a
 * test's bare store) nothing is kept.
 */
export async function qualityReport(args: QualityReportArgs): Promise<QualityReport> {
  const { report, built } = await keptOrBuilt(args);
  metricsFor(args.reader)?.qualityReport(built);
  return report;
}

async function keptOrBuilt(args: QualityReportArgs): Promise<{ report: QualityReport; built: boolean }> {
  const watch = writeWatchOf(args.reader);
  if (!watch) return { report: await buildQualityReport(args), built: true };
  let kept = keptByReader.get(args.reader);
  if (!kept) keptByReader.set(args.reader, (kept = { entries: new WeakMap(), generations: new Map(), unsubscribe: new Map() }));
  const collection = args.entity.name;
  if (!kept.unsubscribe.has(collection)) {
    const counts = kept.generations;
    counts.set(collection, 0);
    kept.unsubscribe.set(collection, watch.onWrite([collection], () => counts.set(collection, counts.get(collection)! + 1)));
  }
  let byKey = kept.entries.get(args.entity);
  if (!byKey) kept.entries.set(args.entity, (byKey = new Map()));
  const key = JSON.stringify([args.scope, args.staleDays, args.locale, args.rules.map((r) => r.name), [...args.fields].sort()]);
  const now = args.now.getTime();
  const marker = (args.reader as { changeMarker?: () => number }).changeMarker?.() ?? 0;
  const generation = kept.generations.get(collection)!;
  const hit = byKey.get(key);
  if (hit && hit.generation === generation && hit.marker === marker && now - hit.at >= 0 && now - hit.at < qualityReportMaxAgeMs) {
    return { report: await hit.report, built: false };
  }
  const report = buildQualityReport(args);
  const entry: Entry = { report, at: now, marker, generation };
  byKey.delete(key);
  if (byKey.size >= maxEntriesPerEntity) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, entry);
  try {
    return { report: await report, built: true };
  } catch (error) {
    if (byKey.get(key) === entry) byKey.delete(key);
    throw error;
  }
}
