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

export async function removeDroppedValues(args: { tx: StoreTransaction; previous: CompiledModel; next: CompiledModel; revision: number }): Promise<void> {
  for (const after of args.next.entities.values()) {
    const before = args.previous.entities.get(after.name);
    const fields = before ? droppedFields(before, after) : [];
    if (fields.length === 0) continue;
    const present: FilterNode[] = fields.map((f) => ({ kind: 'exists', field: internalField([f]), exists: true }));
    await rewriteStoredRecords({
      store: args.tx,
      write: true,
      entity: after.name,
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
}
