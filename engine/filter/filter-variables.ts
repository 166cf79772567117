// filter/filter-variables: the variables saved filters (views, dashboards) may use in place of a
// value — `$me` (the caller's user id), `$myTeams` (their teams), `$today` and `$now`, with an
// offset (`$today - 30 days`, `$now + 2 hours`). They are bound to values before the filter is
// parsed, so the filter language itself knows nothing of them. Days are the calendar days of the
// zone given (CRM_TIME_ZONE, the clock's): `$today` on a datetime field is the instant that day
// began there, and day, week, month and year offsets move on that calendar.
// Lookup filters (a lookup field's `filter`) may also use `$record.<field>`: a field of the record
// being edited. An empty one drops the condition it stands in, so a picker is not emptied by a
// field not yet filled in — and a branch of $and/$or/$nor left with no condition goes from its
// list (an $or then offers its other branches, not every record); other filters do not know it.

import { type IssueDetail, pointerSegment } from '../kernel/errors.ts';
import { instantOfWallClock, wallClockOf } from '../kernel/time-zones.ts';
import { recordReference } from './record-references.ts';
import type { FilterableField } from './filter-tree.ts';

export interface FilterVariables {
  /** The caller's user id. */
  me: string;
  /** The caller's teams (names). */
  myTeams: readonly string[];
  now: Date;
  /** The IANA zone whose days `$today` and day offsets mean (the clock's: timeZoneOf(ctx.clock)). */
  timeZone: string;
  /** Lookup filters only: the record being edited, for `$record.<field>`. */
  record?: RecordVariable;
}

export interface RecordVariable {
  /** The record's values (those not given are empty). */
  values: Readonly<Record<string, unknown>>;
  /** How the record's entity filters a field: `$record.x` must name one, of the compared field's type. */
  field(name: string): FilterableField | undefined;
  /** Why a field cannot stand in for `$record.x` although it filters (a computed one), if so. */
  refused?(name: string): string | undefined;
}

/** Stands for a condition whose `$record.x` is empty: removed from the bound filter. */
const dropped = Symbol('dropped');

const variablePattern = /^\$(me|myTeams|today|now)(?:\s*([+-])\s*(\d{1,5})\s*(minute|hour|day|week|month|year)s?)?$/;
const looksLikeVariable = /^\$[A-Za-z]/;
const valueOperators = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']);

/** True when a filter mentions a variable anywhere (its result then depends on who asks, and when). */
export function usesFilterVariables(json: unknown): boolean {
  if (typeof json === 'string') return looksLikeVariable.test(json);
  if (Array.isArray(json)) return json.some(usesFilterVariables);
  if (json && typeof json === 'object') return Object.values(json).some(usesFilterVariables);
  return false;
}

/**
 * The filter with every variable replaced by its value for the field it is compared with; issues
 * (with pointers into the filter) for unknown variables or a variable that does not fit its field.
 * Unknown fields are left for the filter parser to report.
 */
export function bindFilterVariables(json: unknown, vars: FilterVariables, resolve: (path: string) => FilterableField | undefined): { filter: unknown; issues: IssueDetail[] } {
  const issues: IssueDetail[] = [];
  const bindValue = (value: unknown, field: FilterableField, at: string): unknown => {
    if (typeof value !== 'string' || !looksLikeVariable.test(value)) return value;
    if (vars.record && value.startsWith('$record.')) return bindRecordValue(value, field, at, vars.record, issues);
    const match = variablePattern.exec(value);
    if (!match) {
      issues.push({ path: at, code: 'UNKNOWN_VARIABLE', message: `unknown variable ${JSON.stringify(value)}; use $me, $myTeams, $today or $now (with an offset such as "$today - 30 days")` });
      return value;
    }
    const [, name, sign, amount, unit] = match;
    if (name === 'me' || name === 'myTeams') {
      if (sign !== undefined) issues.push({ path: at, code: 'UNKNOWN_VARIABLE', message: `$${name} takes no offset` });
      if (field.valueType !== 'string') issues.push({ path: at, code: 'WRONG_TYPE', message: `$${name} holds user or team ids: it cannot be compared with a ${field.valueType} field` });
      return name === 'me' ? vars.me : [...vars.myTeams];
    }
    if (field.valueType !== 'date' && field.valueType !== 'datetime') {
      issues.push({ path: at, code: 'WRONG_TYPE', message: `$${name} is a moment: it cannot be compared with a ${field.valueType} field` });
      return value;
    }
    const today = name === 'today';
    const offset = sign === '-' ? -Number(amount) : Number(amount ?? 0);
    // A date field takes the day from the zone's calendar itself: going through an instant, a day
    // whose midnight the zone skips could read as the day before.
    if (field.valueType === 'date' && (today || (unit !== 'minute' && unit !== 'hour'))) return calendarMove(today, offset, unit ?? 'day', vars).toISOString().slice(0, 10);
    const moment = momentOf(today, offset, unit ?? 'day', vars);
    return field.valueType === 'date' ? wallClockOf(moment, vars.timeZone).toISOString().slice(0, 10) : moment.toISOString();
  };
  const bindCondition = (condition: unknown, field: FilterableField, at: string): unknown => {
    if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
      const out: Record<string, unknown> = {};
      for (const [op, value] of Object.entries(condition)) {
        const opAt = `${at}/${pointerSegment(op)}`;
        if (op === '$in' || op === '$nin') {
          if (!Array.isArray(value)) out[op] = value;
          else {
            const listed = value.flatMap((v, i) => bindValue(v, field, `${opAt}/${i}`)).filter((v) => v !== dropped);
            // A list left empty only by empty $record values narrows nothing.
            if (listed.length > 0 || value.length === 0) out[op] = listed;
          }
        } else if (op === '$not') {
          const bound = bindCondition(value, field, opAt);
          if (bound !== dropped) out[op] = bound;
        } else if (valueOperators.has(op)) {
          const bound = bindValue(value, field, opAt);
          // $myTeams is a list: equality becomes membership.
          if (Array.isArray(bound)) out[op === '$ne' ? '$nin' : '$in'] = bound;
          else if (bound !== dropped) out[op] = bound;
        } else out[op] = value;
      }
      return Object.keys(out).length === 0 && Object.keys(condition).length > 0 ? dropped : out;
    }
    const bound = bindValue(condition, field, at);
    return Array.isArray(bound) ? { $in: bound } : bound;
  };
  const bindFilter = (node: unknown, at: string): unknown => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const keyAt = `${at}/${pointerSegment(key)}`;
      if (key === '$and' || key === '$or' || key === '$nor') {
        if (!Array.isArray(value)) out[key] = value;
        else {
          // A branch all of whose conditions were dropped goes from the list, not into it as `{}`:
          // that would match every record — an $or of it anything, a $nor of it nothing at all.
          const kept = value.map((child, i) => bindFilter(child, `${keyAt}/${i}`)).filter((child, i) => !emptied(value[i], child));
          if (kept.length > 0 || value.length === 0) out[key] = kept;
        }
      } else {
        const field = key.startsWith('$') ? undefined : resolve(key);
        const bound = field ? bindCondition(value, field, keyAt) : value;
        if (bound !== dropped) out[key] = bound;
      }
    }
    return out;
  };
  return { filter: bindFilter(json, ''), issues };
}

/** True when a filter document had conditions and binding dropped them all (empty $record values). */
function emptied(before: unknown, after: unknown): boolean {
  const isObject = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);
  return isObject(before) && isObject(after) && Object.keys(before).length > 0 && Object.keys(after).length === 0;
}

/** `$record.x`: the edited record's value of x (dropped when empty), when x fits the compared field. */
function bindRecordValue(value: string, field: FilterableField, at: string, record: RecordVariable, issues: IssueDetail[]): unknown {
  const name = recordReference.exec(value)?.[1];
  const source = name === undefined ? undefined : record.field(name);
  if (!source || source.array) {
    issues.push({ path: at, code: 'META_UNKNOWN_FIELD', message: `${JSON.stringify(value)} names no single-valued field of the record being edited` });
    return value;
  }
  const refused = record.refused?.(name!);
  if (refused !== undefined) {
    issues.push({ path: at, code: 'COMPUTED_FIELD', message: refused });
    return value;
  }
  if (source.valueType !== field.valueType) {
    issues.push({ path: at, code: 'WRONG_TYPE', message: `${value} holds a ${source.valueType}: it cannot be compared with a ${field.valueType} field` });
    return value;
  }
  const given = record.values[name!];
  return given === undefined || given === null || given === '' ? dropped : given;
}

/**
 * The instant a moment variable names: `$now` moved by minutes and hours as elapsed time; `$today`
 * (the start of the zone's day) and days, weeks, months and years moved on the zone's calendar.
 */
function momentOf(today: boolean, amount: number, unit: string, vars: FilterVariables): Date {
  if (!today && (unit === 'minute' || unit === 'hour')) return new Date(vars.now.getTime() + amount * (unit === 'minute' ? 60_000 : 3_600_000));
  return instantOfWallClock(calendarMove(today, amount, unit, vars), vars.timeZone);
}

/** The zone's wall clock now (its midnight for `$today`), moved on the zone's calendar: a Date whose UTC fields read it. */
function calendarMove(today: boolean, amount: number, unit: string, vars: FilterVariables): Date {
  const wall = wallClockOf(vars.now, vars.timeZone);
  if (today) wall.setUTCHours(0, 0, 0, 0);
  if (unit === 'minute') wall.setUTCMinutes(wall.getUTCMinutes() + amount);
  else if (unit === 'hour') wall.setUTCHours(wall.getUTCHours() + amount);
  else if (unit === 'day') wall.setUTCDate(wall.getUTCDate() + amount);
  else if (unit === 'week') wall.setUTCDate(wall.getUTCDate() + 7 * amount);
  else if (unit === 'month') wall.setUTCMonth(wall.getUTCMonth() + amount);
  else wall.setUTCFullYear(wall.getUTCFullYear() + amount);
  return wall;
}
