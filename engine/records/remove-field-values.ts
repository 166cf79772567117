// A field a revision removes takes its stored values with it. Left in the records they were only
// hidden: a field added later under the same name — of another type, say a number `note` where a
// text `note` was — would show them again. Runs where every metadata change commits (runtime.apply,
// and the dry run's rehearsal of it), so the metadata apply, template steps, configuration import,
// reverts and refactorings all take it; the audit trail keeps the values.

import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { internalField, type FilterNode } from '../filter/filter-tree.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { rewriteStoredRecords } from './rewrite-stored-records.ts';

/**
 * The fields of `before` whose stored values `after` no longer keeps: removed (of any type —
 * computed and assigned values are stored too), or a stored field now computed or assigned. The
 * dry run's `removedFields` counts the stored ones among them (countRemovedValues).
 */
export function droppedFields(before: CompiledEntity, after: CompiledEntity): string[] {
  return [...before.fields.keys()].filter((f) => !after.fields.has(f) || (before.valueFields.has(f) && !after.valueFields.has(f)));
}

interface ModelChange {
  tx: StoreTransaction;
  previous: CompiledModel;
  next: CompiledModel;
  revision: number;
}

export async function removeDroppedValues(args: ModelChange): Promise<void> {
  for (const after of args.next.entities.values()) {
    const before = args.previous.entities.get(after.name);
    if (before) await takeOut(args, after.name, droppedFields(before, after));
  }
}

/**
 * Values stored under the name of a field the change adds: left by a removal made before removals
 * took values out (data folders older than that), they would show again in the new field — of
 * another type, maybe. runtime.apply and the dry run call this for every change but a refactoring,
 * whose own record changes set the fields it adds (renameStoredField clears stale values under the
 * new name and counts them).
 */
export async function removeStaleValues(args: ModelChange): Promise<void> {
  for (const after of args.next.entities.values()) {
    const before = args.previous.entities.get(after.name);
    if (before) await takeOut(args, after.name, [...after.fields.keys()].filter((f) => !before.fields.has(f)));
  }
}

async function takeOut(args: ModelChange, entity: string, fields: readonly string[]): Promise<void> {
  if (fields.length === 0) return;
  const present: FilterNode[] = fields.map((f) => ({ kind: 'exists', field: internalField([f]), exists: true }));
  await rewriteStoredRecords({
    store: args.tx,
    write: true,
    entity,
    revision: args.revision,
    filter: present.length === 1 ? present[0]! : { kind: 'or', children: present },
    rewrite: (row) => {
      if (!fields.some((f) => Object.hasOwn(row.data, f))) return undefined;
      const data = { ...row.data };
      for (const f of fields) delete data[f];
      return data;
    },
  });
}
