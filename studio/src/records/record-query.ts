// One record's query, shared by the record page and the links that open it. A link fetches the
// record on click, beside the page's render instead of after it: the page then finds the answer
// (or the request in flight) and renders its form in its first pass, not a spinner first.

import type { QueryClient } from '@tanstack/react-query';
import { getRecord } from '../api/records.ts';

/** The page takes an answer this recent (its link's, on the click that opened it) without asking again. */
const adoptMs = 2_000;

export function recordQuery(revision: number, entity: string, id: string) {
  return { queryKey: ['records', revision, entity, 'one', id] as const, queryFn: () => getRecord(entity, id), staleTime: adoptMs, retry: false };
}

/** Fetches the record now, whatever the cache holds (a click means: show it as it is now). */
export function fetchRecordForPage(client: QueryClient, revision: number, entity: string, id: string): void {
  if (revision > 0) void client.prefetchQuery({ ...recordQuery(revision, entity, id), staleTime: 0 });
}
