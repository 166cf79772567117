// A list page's query (one page of a view's records for the filters, sort and cursor chosen),
// shared by the list page and the menu entries that open it. An entry fetches the first page on
// click, beside the page's render instead of after it: the page then finds the answer (or the
// request in flight) and renders its rows in its first pass.

import type { QueryClient } from '@tanstack/react-query';
import { cachedMetaKind } from '../api/meta.ts';
import { exportUrl, listRecords, type ExportFormat } from '../api/records.ts';
import { buildFilter, type FilterState } from './list-filters.ts';
import { resolveView, type ResolvedView } from './resolve-view.ts';

/** The page takes an answer this recent (its menu entry's, on the click that opened it) without asking again. */
const adoptMs = 2_000;

export function listPageQuery(args: { revision: number; resolved: ResolvedView; filters: FilterState; sort: string; cursor: string | undefined }) {
  const { entity, view, columns } = args.resolved;
  const { filter, view: viewName } = listFilter(args.resolved, args.filters);
  const fields = [...new Set(['id', 'version', ...(entity.titleField ? [entity.titleField] : []), ...columns.map((c) => c.field)])];
  const limit = view.pageSize ?? 50;
  return {
    queryKey: ['records', args.revision, entity.name, 'list', viewName ?? '', filter, args.sort, args.cursor, limit] as const,
    queryFn: () => listRecords(entity.name, { filter, sort: args.sort, cursor: args.cursor, limit, fields, total: true, view: viewName }),
    staleTime: adoptMs,
  };
}

/** The user's filters, and the view by name when it is saved (else its filter folded in). */
function listFilter(resolved: ResolvedView, filters: FilterState): { filter: Record<string, unknown>; view?: string } {
  const { entity, view } = resolved;
  return resolved.stored ? { filter: buildFilter(entity.fields, filters), view: view.name } : { filter: buildFilter(entity.fields, filters, view.filter) };
}

/**
 * The file of the list's whole answer — the same query as its pages, with the columns shown —
 * from the server (a saved view's column labels become the file's headers).
 */
export function listExportUrl(args: { resolved: ResolvedView; filters: FilterState; sort: string; format: ExportFormat; lang: string }): string {
  const { entity, columns } = args.resolved;
  const { filter, view } = listFilter(args.resolved, args.filters);
  return exportUrl(entity.name, { format: args.format, filter, sort: args.sort, fields: columns.map((c) => c.path), ...(view ? { view } : {}), lang: args.lang });
}

/** Fetches a view's (or an entity's default view's) first page now, as its list page will ask for it. */
export function fetchFirstPage(client: QueryClient, revision: number, target: { view?: string; entity?: string }): void {
  const entities = cachedMetaKind(client, 'entities');
  const views = cachedMetaKind(client, 'views');
  const resolved = entities && views ? resolveView(entities, views, target) : undefined;
  if (!resolved || revision === 0 || resolved.view.type === 'kanban') return;
  void client.prefetchQuery({ ...listPageQuery({ revision, resolved, filters: {}, sort: resolved.view.sort ?? '', cursor: undefined }), staleTime: 0 });
}
