// store/read-pages: every document of a collection that matches a filter, read a page at a time in
// id order, for work over a whole entity or log that must never hold it all in memory. Keyed on the
// last id read, not an offset: documents deleted or written elsewhere meanwhile shift no page.

import { andFilters, internalField, type FilterNode } from '../filter/filter-tree.ts';
import type { StoredRecord, StoreReader } from './store-port.ts';

/** Pages of at most `pageSize` documents matching `filter`, in id order; none when nothing matches. */
export async function* pagesById(reader: StoreReader, collection: string, filter: FilterNode, pageSize: number): AsyncGenerator<StoredRecord[]> {
  for (let after: string | undefined; ; ) {
    const page = await reader.find(collection, {
      filter: andFilters(filter, after === undefined ? undefined : { kind: 'compare', field: internalField('id'), op: '$gt', value: after }),
      sort: [{ field: internalField('id'), direction: 1 }],
      limit: pageSize,
    });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.id;
  }
}
