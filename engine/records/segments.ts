// Segments: dynamic sets of customers defined as metadata. Membership is computed by the system
// (not for one viewer): the entity's records passing the segment's filter, scored by recency,
// frequency and monetary value over their related records — one group() over the related entity,
// keyed by its lookup — and kept by the expression `members`. The result is stored (`_segmentMembers`,
// one row per member with its scores) on demand and on the segment's schedule; readers see the
// members within their own read scope.

import { Cron } from 'croner';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { compileExpression } from '../expressions/compile-expression.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { andFilters, internalField, where, type FilterNode } from '../filter/filter-tree.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import { localDate, localDateTime } from '../kernel/time-zones.ts';
import type { SegmentDefinition } from '../metadata/generated/metadata.ts';
import type { CollectionSpec, Store, StoreReader } from '../store/store-port.ts';

export const segmentMembersCollection: CollectionSpec = {
  name: '_segmentMembers',
  indexes: [{ name: 'segment', keys: [{ path: ['segment'], direction: 1 }, { path: ['record'], direction: 1 }], unique: false }],
};
/** One row per segment: when it was last computed and how many members it had. */
export const segmentRunsCollection: CollectionSpec = { name: '_segmentRuns', indexes: [] };

export interface SegmentScores {
  /** 1–5, 0 when the record has no related record (or the segment has no rfm). */
  r: number;
  f: number;
  m: number;
  /** Days from the latest related record's local day to today's (null: none). */
  recencyDays: number | null;
  frequency: number;
  monetary: number;
}

export interface SegmentMember extends SegmentScores {
  record: string;
}

export interface SegmentRun {
  segment: string;
  computedAt: string;
  count: number;
  /** Members that joined and left since the previous run. */
  joined: number;
  left: number;
}

const maxCandidates = 1_000_000;

export function segmentOf(model: CompiledModel, name: string): SegmentDefinition | undefined {
  return model.set.get('segment', name) as unknown as SegmentDefinition | undefined;
}

function entityOf(model: CompiledModel, name: string): CompiledEntity {
  const entity = model.entities.get(name);
  if (!entity) throw new CrmError('NOT_FOUND', { en: `There is no entity "${name}"`, zh: `不存在实体「${name}」` });
  return entity;
}

/** A saved filter of the segment as a filter tree, its variables bound for the system at `now` (days in `timeZone`). */
function systemFilter(entity: CompiledEntity, json: unknown, now: Date, timeZone: string, at: string): FilterNode {
  if (json === undefined) return { kind: 'true' };
  const resolve = (path: string) => entity.filterables.get(path);
  const bound = bindFilterVariables(json, { me: 'system', myTeams: [], now, timeZone }, resolve);
  if (bound.issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, bound.issues.map((i) => ({ ...i, path: `${at}${i.path}` })));
  return parseFilter(bound.filter, resolve);
}

/** 5 for the best band, down to 1 past the last limit. */
export function scoreOf(value: number, limits: readonly number[], lowerIsBetter: boolean): number {
  const band = limits.findIndex((limit) => (lowerIsBetter ? value <= limit : value >= limit));
  return band === -1 ? 1 : 5 - band;
}

/** Every member of the segment with its scores, as of `now` (today in `timeZone`). */
export async function computeSegment(args: { store: StoreReader; model: CompiledModel; segment: SegmentDefinition; now: Date; timeZone: string; clock: Clock }): Promise<SegmentMember[]> {
  const { store, model, segment, now } = args;
  const entity = entityOf(model, segment.entity);
  const idField = internalField('id');
  const candidates = await store.group(entity.name, {
    filter: systemFilter(entity, segment.filter, now, args.timeZone, '/filter'),
    keys: [{ name: 'id', field: idField }],
    measures: [],
    sort: [],
    limit: maxCandidates,
  });
  const rfm = segment.rfm;
  const related = new Map<string, { last: string | null; frequency: number; monetary: number }>();
  if (rfm) {
    const from = entityOf(model, rfm.from);
    const field = (path: string) => {
      const found = from.filterables.get(path);
      if (!found) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/rfm', message: `${rfm.from} has no field "${path}"` }]);
      return found;
    };
    const rows = await store.group(from.name, {
      filter: systemFilter(from, rfm.filter, now, args.timeZone, '/rfm/filter'),
      keys: [{ name: 'record', field: field(rfm.via) }],
      measures: [{ name: 'last', op: 'max', field: field(rfm.date) }, { name: 'frequency', op: 'count' }, { name: 'monetary', op: 'sum', field: field(rfm.amount) }],
      sort: [],
      limit: maxCandidates,
    });
    const dateIsInstant = field(rfm.date).valueType === 'datetime';
    for (const row of rows) {
      const record = row.key['record'];
      if (typeof record !== 'string') continue;
      const last = typeof row.values['last'] === 'string' ? row.values['last'] : null;
      related.set(record, {
        last: last === null ? null : dateIsInstant ? (localDateTime(last, args.timeZone) ?? last).slice(0, 10) : last.slice(0, 10),
        frequency: Number(row.values['frequency'] ?? 0),
        monetary: Number(row.values['monetary'] ?? 0),
      });
    }
  }
  const today = localDate(now, args.timeZone);
  const members = segment.members === undefined ? undefined : compileExpression(segment.members, '/members');
  if (members && !members.expression) throw new CrmError('INVALID_QUERY', undefined, members.issues);
  const out: SegmentMember[] = [];
  for (const candidate of candidates) {
    const record = candidate.key['id'];
    if (typeof record !== 'string') continue;
    const found = related.get(record);
    const recencyDays = found?.last ? Math.round((Date.parse(today) - Date.parse(found.last)) / 86_400_000) : null;
    const scores: SegmentScores = rfm && found
      ? {
          r: recencyDays === null ? 0 : scoreOf(recencyDays, rfm.recencyDays, true),
          f: scoreOf(found.frequency, rfm.frequency, false),
          m: scoreOf(found.monetary, rfm.monetary, false),
          recencyDays,
          frequency: found.frequency,
          monetary: found.monetary,
        }
      : { r: 0, f: 0, m: 0, recencyDays: null, frequency: 0, monetary: 0 };
    if (members?.expression && (await evaluateExpression(members.expression, scores, { clock: args.clock, origin: `/segments/${segment.name}/members` })) !== true) continue;
    out.push({ record, ...scores });
  }
  return out;
}

const memberId = (segment: string, record: string) => `${segment}.${record}`;

/** Computes the segment and replaces its stored membership in one transaction. */
export async function refreshSegment(args: { store: Store; model: CompiledModel; name: string; clock: Clock; timeZone: string }): Promise<SegmentRun> {
  const segment = segmentOf(args.model, args.name);
  if (!segment) throw new CrmError('NOT_FOUND', { en: `There is no segment "${args.name}"`, zh: `不存在细分「${args.name}」` });
  const now = args.clock.now();
  const members = await computeSegment({ store: args.store, model: args.model, segment, now, timeZone: args.timeZone, clock: args.clock });
  const computedAt = now.toISOString();
  return args.store.transaction(async (tx) => {
    const before = new Map((await tx.find(segmentMembersCollection.name, { filter: where({ segment: segment.name }), sort: [], limit: maxCandidates })).map((row) => [String(row.data['record']), row]));
    let joined = 0;
    for (const member of members) {
      const previous = before.get(member.record);
      before.delete(member.record);
      const data = { segment: segment.name, ...member, since: previous ? previous.data['since'] : computedAt, computedAt };
      if (!previous) {
        joined += 1;
        await tx.insert(segmentMembersCollection.name, { id: memberId(segment.name, member.record), version: 1, revision: 0, data });
      } else await tx.replace(segmentMembersCollection.name, { id: previous.id, version: previous.version + 1, revision: 0, data }, previous.version);
    }
    for (const gone of before.values()) await tx.delete(segmentMembersCollection.name, gone.id, gone.version);
    const run: SegmentRun = { segment: segment.name, computedAt, count: members.length, joined, left: before.size };
    const existing = await tx.get(segmentRunsCollection.name, segment.name);
    if (existing) await tx.replace(segmentRunsCollection.name, { id: segment.name, version: existing.version + 1, revision: 0, data: { ...run } }, existing.version);
    else await tx.insert(segmentRunsCollection.name, { id: segment.name, version: 1, revision: 0, data: { ...run } });
    return run;
  });
}

/** The stored members of a segment (ids after `after`, in id order), with their scores. */
export async function storedMembers(reader: StoreReader, segment: string, options: { after?: string; limit: number; records?: readonly string[] }): Promise<(SegmentMember & { since: string })[]> {
  const filter = andFilters(
    where({ segment }),
    options.after === undefined ? undefined : { kind: 'compare', field: internalField('record'), op: '$gt', value: options.after },
    options.records === undefined ? undefined : { kind: 'in', field: internalField('record'), values: options.records, negate: false },
  );
  const rows = await reader.find(segmentMembersCollection.name, { filter, sort: [{ field: internalField('record'), direction: 1 }], limit: options.limit });
  return rows.map((row) => {
    const { segment: _segment, computedAt: _at, ...member } = row.data as unknown as SegmentMember & { segment: string; since: string; computedAt: string };
    return member;
  });
}

export async function lastRun(reader: StoreReader, segment: string): Promise<SegmentRun | undefined> {
  const row = await reader.get(segmentRunsCollection.name, segment);
  return row ? (row.data as unknown as SegmentRun) : undefined;
}

/** The next time a schedule fires after `after`, in the server's zone. */
export function nextSegmentRun(schedule: string, timeZone: string, after: Date): Date | undefined {
  return new Cron(schedule, { paused: true, timezone: timeZone }).nextRun(after) ?? undefined;
}

/** The record ids of a segment's members, for a view over it (at most 10,000: a bigger one is refused). */
export async function segmentMemberIds(reader: StoreReader, segment: string): Promise<string[]> {
  const limit = 10_000;
  const rows = await reader.find(segmentMembersCollection.name, { filter: where({ segment }), sort: [], limit: limit + 1 });
  if (rows.length > limit) {
    throw new CrmError('INVALID_QUERY', { en: `Segment "${segment}" has more than ${limit} members: filter the view further by a field`, zh: `细分「${segment}」成员超过 ${limit} 个：请再按字段筛选` }, [{ path: '/query/view', message: `segment "${segment}" has more than ${limit} members` }]);
  }
  return rows.map((row) => String(row.data['record']));
}
