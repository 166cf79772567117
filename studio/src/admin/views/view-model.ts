// A view as the designer edits it: columns in order (orders 10, 20, 30… as the schema advises, so an
// overlay can insert between two), the sort string as rows, and the switch between a list and a board.

import type { EntityDef, FormDef, ViewDef } from '../../api/meta.ts';

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

/** Field types a new view leaves out of its first columns: long text, files, and values of many parts. */
const notStarterColumns = new Set(['textarea', 'file', 'address', 'multiLookup', 'consent']);
const longTextWidgets = new Set(['textarea', 'richText']);

/**
 * The columns a new view starts with (the admin edits them after): the title field, then the fields
 * in the order the entity's form shows them (its default form, else its first; then the fields no
 * form shows, as declared), leaving out long text and files — at most `max` in all.
 */
export function starterColumns(entity: EntityDef, forms: readonly FormDef[], max = 5): string[] {
  const own = forms.filter((f) => f.entity === entity.name);
  const form = own.find((f) => f.default) ?? own[0];
  const byOrder = <T extends { order?: number }>(entries: [string, T][]) => [...entries].sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0));
  const formFields = form ? byOrder(Object.entries(form.sections)).flatMap(([, s]) => byOrder(Object.entries(s.fields ?? {}))) : [];
  const longInForm = new Set(formFields.filter(([, f]) => f.widget !== undefined && longTextWidgets.has(f.widget)).map(([n]) => n));
  const title = entity.titleField && entity.fields[entity.titleField] ? entity.titleField : undefined;
  const ordered = [...(title ? [title] : []), ...formFields.map(([n]) => n), ...Object.keys(entity.fields)];
  const out: string[] = [];
  for (const name of ordered) {
    const def = entity.fields[name];
    if (out.length >= max || out.includes(name) || !def) continue;
    if (name !== title && (notStarterColumns.has(def.type) || longInForm.has(name))) continue;
    out.push(name);
  }
  // Every field long text, no title: the first field still gives the list a column.
  const first = Object.keys(entity.fields)[0];
  return out.length === 0 && first ? [first] : out;
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
