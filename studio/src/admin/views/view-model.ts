// A view as the designer edits it: columns in order (orders 10, 20, 30… as the schema advises, so an
// overlay can insert between two), the sort string as rows, and the switch between a list and a board.

import type { EntityDef, ViewDef } from '../../api/meta.ts';

export type ViewDoc = ViewDef & { ownedBy?: 'me' | 'myTeam'; description?: unknown };

export function orderedColumns(view: ViewDoc): string[] {
  return Object.entries(view.columns ?? {})
    .sort(([a, x], [b, y]) => (x.order ?? 0) - (y.order ?? 0) || a.localeCompare(b))
    .map(([path]) => path);
}

/** The view with these columns in this order (each column's own settings kept). */
export function withColumns(view: ViewDoc, paths: string[]): ViewDoc {
  const before = view.columns ?? {};
  return { ...view, columns: Object.fromEntries(paths.map((p, i) => [p, { ...before[p], order: (i + 1) * 10 }])) };
}

export interface SortRow {
  path: string;
  descending: boolean;
}

export function readSort(sort: string | undefined): SortRow[] {
  if (!sort) return [];
  return sort.split(',').filter(Boolean).map((part) => ({ path: part.replace(/^[-+]/, ''), descending: part.startsWith('-') }));
}

export function writeSort(rows: SortRow[]): string | undefined {
  const parts = rows.filter((r) => r.path).map((r) => `${r.descending ? '-' : ''}${r.path}`);
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** Fields a board may be grouped by: picklists and the fields workflows drive. */
export function groupableFields(entity: EntityDef, drivenFields: string[]): string[] {
  return Object.entries(entity.fields)
    .filter(([n, f]) => f.type === 'picklist' || drivenFields.includes(n))
    .map(([n]) => n);
}

/** A list becomes a board (grouped by the first groupable field) or a board a list (with at least the title column). */
export function switchType(view: ViewDoc, type: 'list' | 'kanban', entity: EntityDef, drivenFields: string[]): ViewDoc {
  if (type === 'kanban') {
    const groupBy = view.kanban?.groupBy ?? drivenFields[0] ?? groupableFields(entity, drivenFields)[0] ?? '';
    return { ...view, type, kanban: { groupBy, cardFields: orderedColumns(view).filter((p) => p !== groupBy && p !== entity.titleField).slice(0, 4) } };
  }
  const { kanban, ...rest } = view;
  const columns = Object.keys(rest.columns ?? {}).length > 0 ? rest.columns : undefined;
  const fromCards = [entity.titleField ?? Object.keys(entity.fields)[0]!, ...(kanban?.cardFields ?? [])].filter(Boolean);
  return columns ? { ...rest, type } : withColumns({ ...rest, type }, [...new Set(fromCards)]);
}

/** Leaves out settings that are empty, so the saved document says only what was chosen. */
export function tidy(view: ViewDoc): ViewDoc {
  const out: Record<string, unknown> = { ...view };
  for (const key of ['filter', 'sort', 'ownedBy', 'pageSize', 'default', 'label', 'description']) {
    const v = out[key];
    if (v === undefined || v === false || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)) delete out[key];
  }
  if (view.type === 'kanban' && out['columns'] && Object.keys(out['columns'] as object).length === 0) delete out['columns'];
  return out as unknown as ViewDoc;
}
