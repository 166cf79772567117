// Reports: saved queries run with the caller's access (or, when scheduled, a role's). A grouped
// report is one aggregation per level — the detail rows, a subtotal row after each group of every
// outer level, and the grand total — each computed by the store, so averages and distinct counts
// are right at every level. A list report is the records API's list. Exports: CSV (csv-stringify)
// and XLSX (exceljs), with text cells that a spreadsheet would run as formulas neutralized.

import { stringify } from 'csv-stringify/sync';
import type { ScalarValue } from '../filter/filter-tree.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import { timeZoneOf } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import type { ReportDefinition } from '../metadata/generated/metadata.ts';
import { reportGroupSpec } from '../kinds/report-kind.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { listRecords, maxPageSize } from '../records/read-records.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { Store } from '../store/store-port.ts';
import { parseAggregation, readableResolver, runAggregation } from './aggregate-records.ts';
import { sheetName } from '../kernel/sheet-name.ts';

export interface ReportRow {
  /** `row`: a group of the last level (or a record); `subtotal`: a group of an outer level; `total`: every record. */
  type: 'row' | 'subtotal' | 'total';
  /** For subtotals: how many grouping levels it closes over (1 = the outermost). */
  level?: number;
  cells: Record<string, ScalarValue>;
}

export interface ReportTable {
  report: string;
  entity: string;
  columns: { name: string; label: string }[];
  rows: ReportRow[];
  /** More groups or records than a report holds (10,000) matched. */
  truncated: boolean;
}

export const maxReportRecords = 10_000;

export function reportOf(ctx: RequestContext, name: string): ReportDefinition {
  const report = ctx.model.set.get('report', name) as unknown as ReportDefinition | undefined;
  if (!report) throw new CrmError('NOT_FOUND', { en: `There is no report "${name}"`, zh: `不存在报表「${name}」` });
  return report;
}

export async function runReport(args: { store: Store; ctx: RequestContext; report: ReportDefinition; timeZone: string }): Promise<ReportTable> {
  const { store, ctx, report } = args;
  const entity = getEntityOrThrow(ctx, report.entity);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  let filter: unknown = report.filter;
  if (filter !== undefined) {
    const bound = bindFilterVariables(filter, { me: ctx.principal.id, myTeams: ctx.principal.teams, now: ctx.clock.now(), timeZone: timeZoneOf(ctx.clock) }, readableResolver(ctx, entity));
    if (bound.issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, bound.issues.map((i) => ({ ...i, path: `/filter${i.path}` })));
    filter = bound.filter;
  }
  if (!report.groupBy) {
    const columns = report.columns ?? [];
    const items: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRecords(store, ctx, entity.name, { filter, ...(report.sort ? { sort: report.sort } : {}), limit: maxPageSize, fields: columns, ...(cursor ? { cursor } : {}) });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && items.length < maxReportRecords);
    return {
      report: report.name, entity: entity.name,
      columns: columns.map((name) => ({ name, label: name })),
      rows: items.slice(0, maxReportRecords).map((item) => ({ type: 'row', cells: Object.fromEntries(columns.map((c) => [c, scalar(item[c])])) })),
      truncated: items.length > maxReportRecords || cursor !== undefined,
    };
  }
  const levels = report.groupBy.length;
  const measures = Object.keys(report.measures ?? { count: true });
  const keyNames = report.groupBy.map((_, i) => `g${i}`);
  const run = async (depth: number) => {
    const { query } = parseAggregation({ ctx, entityName: entity.name, spec: reportGroupSpec(report, depth, filter, args.timeZone), defaultTimeZone: args.timeZone });
    return runAggregation({ store, ctx, entity, query });
  };
  const detail = await run(levels);
  const byLevel = new Map<number, Map<string, Record<string, ScalarValue>>>();
  for (let depth = 1; depth < levels; depth += 1) {
    const result = await run(depth);
    byLevel.set(depth, new Map(result.groups.map((g) => [JSON.stringify(keyNames.slice(0, depth).map((k) => g.key[k] ?? null)), g.values])));
  }
  const total = (await run(0)).groups[0]?.values ?? {};
  const cellsOf = (key: Record<string, ScalarValue>, values: Record<string, ScalarValue>, depth: number): Record<string, ScalarValue> => ({
    ...Object.fromEntries(keyNames.map((k, i) => [labelOf(report, i), i < depth ? (key[k] ?? null) : null])),
    ...Object.fromEntries(measures.map((m) => [m, values[m] ?? null])),
  });
  const rows: ReportRow[] = [];
  const closeGroups = (from: number, previous: Record<string, ScalarValue>): void => {
    for (let depth = levels - 1; depth >= from; depth -= 1) {
      const values = byLevel.get(depth)?.get(JSON.stringify(keyNames.slice(0, depth).map((k) => previous[k] ?? null)));
      if (values) rows.push({ type: 'subtotal', level: depth, cells: cellsOf(previous, values, depth) });
    }
  };
  let previous: Record<string, ScalarValue> | undefined;
  for (const group of detail.groups) {
    if (previous) {
      const changed = keyNames.findIndex((k) => JSON.stringify(previous![k] ?? null) !== JSON.stringify(group.key[k] ?? null));
      if (changed >= 0 && changed < levels - 1) closeGroups(changed + 1, previous);
    }
    rows.push({ type: 'row', cells: cellsOf(group.key, group.values, levels) });
    previous = group.key;
  }
  if (previous) closeGroups(1, previous);
  rows.push({ type: 'total', cells: cellsOf({}, total, 0) });
  return {
    report: report.name, entity: entity.name,
    columns: [...report.groupBy.map((_, i) => ({ name: labelOf(report, i), label: labelOf(report, i) })), ...measures.map((m) => ({ name: m, label: m }))],
    rows,
    truncated: detail.truncated,
  };
}

/** A grouping column's name: the field, with its bucket (`closeDate.quarter`). */
function labelOf(report: ReportDefinition, index: number): string {
  const key = report.groupBy![index]!;
  return typeof key === 'string' ? key : key.bucket ? `${key.field}.${key.bucket}` : key.field;
}

function scalar(value: unknown): ScalarValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Text a spreadsheet would run as a formula (= + - @, or a leading tab or CR) gets a leading '. */
export function neutralize(value: ScalarValue): ScalarValue {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One line per row: the columns, then a `row` column saying row, subtotal or total. */
function exportRows(table: ReportTable): ScalarValue[][] {
  return [
    [...table.columns.map((c) => neutralize(c.label)), 'row'],
    ...table.rows.map((row) => [...table.columns.map((c) => neutralize(row.cells[c.name] ?? null)), row.type]),
  ];
}

export function reportCsv(table: ReportTable): string {
  return stringify(exportRows(table).map((cells) => cells.map((cell) => (cell === null ? '' : cell))), { cast: { boolean: (b) => (b ? 'true' : 'false') } });
}

export async function reportXlsx(table: ReportTable, title: string): Promise<Buffer> {
  // Loaded on first use: exceljs takes a noticeable part of the server's start-up.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName(title, 'Report'));
  for (const [i, cells] of exportRows(table).entries()) {
    const row = sheet.addRow(cells.map((cell) => cell ?? null));
    if (i === 0 || table.rows[i - 1]?.type !== 'row') row.font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
