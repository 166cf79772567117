// Keeps the store's collections and indexes in line with the compiled model. Entities removed
// from metadata keep their data: their collections are left alone.

import type { CompiledModel } from '../compile/compiled-model.ts';
import type { Store } from '../store/store-port.ts';

export async function syncEntityCollections(
  store: Store,
  previous: CompiledModel | undefined,
  next: CompiledModel,
  options: { rollbackOnFailure?: boolean } = {},
): Promise<void> {
  const changed = [...next.entities.values()].filter(
    (entity) => JSON.stringify(previous?.entities.get(entity.name)?.collection) !== JSON.stringify(entity.collection),
  );
  const done: string[] = [];
  try {
    for (const entity of changed) {
      await store.syncCollection(entity.collection);
      done.push(entity.name);
    }
  } catch (error) {
    // e.g. a new unique index over existing duplicates: put the earlier indexes back.
    if (options.rollbackOnFailure && previous) {
      for (const name of done.concat(changed.map((e) => e.name))) {
        const before = previous.entities.get(name)?.collection;
        if (before) await store.syncCollection(before).catch(() => undefined);
      }
    }
    throw error;
  }
}
