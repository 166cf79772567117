// Before an apply, and in its dry run: a unique index the new metadata asks for cannot be built over records that
// already share a value, and apply would then fail. Counted here, by scanning the entity's records
// once, so that the dry run says so before anything is applied. Absent values never collide.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { internalField, matchAll, type KeysetPosition } from '../filter/filter-tree.ts';
import type { StoreReader } from '../store/store-port.ts';

export interface UniqueIndexIssue {
  entity: string;
  fields: string[];
  /** Records holding a value some other record holds too. */
  duplicates: number;
  examples: string[];
}

const batchSize = 1000;

export async function checkNewUniqueIndexes(store: Pick<StoreReader, 'find'>, previous: CompiledModel, next: CompiledModel, entities: Iterable<string>): Promise<UniqueIndexIssue[]> {
  const issues: UniqueIndexIssue[] = [];
  for (const name of entities) {
    const entity = next.entities.get(name);
    if (!entity) continue;
    const before = new Set((previous.entities.get(name)?.collection.indexes ?? []).filter((i) => i.unique).map((i) => JSON.stringify(i.keys.map((k) => k.path))));
    const added = entity.collection.indexes.filter((i) => i.unique && !before.has(JSON.stringify(i.keys.map((k) => k.path))));
    if (added.length === 0) continue;
    const seen = added.map(() => new Map<string, string[]>());
    let after: KeysetPosition | undefined;
    for (;;) {
      const rows = await store.find(name, { filter: matchAll, sort: [{ field: internalField('id'), direction: 1 }], limit: batchSize, ...(after ? { after } : {}) });
      for (const row of rows) {
        added.forEach((index, i) => {
          const values = index.keys.map((k) => k.path.reduce<unknown>((v, segment) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[segment] : undefined), row.data));
          if (values.some((v) => v === undefined || v === null)) return;
          const key = JSON.stringify(values);
          seen[i]!.set(key, [...(seen[i]!.get(key) ?? []), row.id]);
        });
      }
      if (rows.length < batchSize) break;
      after = { values: [rows[rows.length - 1]!.id], id: rows[rows.length - 1]!.id };
    }
    added.forEach((index, i) => {
      const clashing = [...seen[i]!.values()].filter((ids) => ids.length > 1).flat();
      if (clashing.length > 0) issues.push({ entity: name, fields: index.keys.map((k) => k.path.join('.')), duplicates: clashing.length, examples: clashing.slice(0, 5) });
    });
  }
  return issues;
}


/** The clashes as issues of the entity documents that ask for the indexes: what apply refuses with. */
export async function checkUniqueIndexIssues(store: Pick<StoreReader, 'find'>, previous: CompiledModel, next: CompiledModel): Promise<{ clashes: UniqueIndexIssue[]; issues: { kind: string; name: string; issues: { path: string; code: string; message: string }[] }[] }> {
  const clashes = await checkNewUniqueIndexes(store, previous, next, next.entities.keys());
  const issues = clashes.map((clash) => ({
    kind: 'entity',
    name: clash.entity,
    issues: [{ path: `/fields/${clash.fields[0]!.split('.')[0]}`, code: 'UNIQUE_INDEX', message: `${clash.duplicates} records share a value of ${clash.fields.join(', ')}, which must become unique (e.g. ${clash.examples.join(', ')})` }],
  }));
  return { clashes, issues };
}
