// Before an apply, and in its dry run: a change that gives a field another type keeps the values its
// records hold. Where some of them are no values of the new type ("abc" in what became a number), a
// plain save would leave them stranded — read back as text from a number field, missed by its filters
// and sums, and every later write of such a record refused for a field its user did not touch. Such a
// change is refused here, with how many records and one example; the type-change refactoring
// (designer/change-field-type.ts, the studio's "Change type") converts the values in the same commit.
// Where it cannot (a formula, a lookup, an address on either side), removing the field takes its values
// with it (records/remove-field-values.ts), and the field is added anew.

import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { hasValue } from '../kernel/has-value.ts';
import { eachStoredRecord } from '../records/check-existing-records.ts';
import { checkValues } from '../records/validate-values.ts';
import type { StoreReader } from '../store/store-port.ts';

interface StrandedValues {
  field: string;
  from: string;
  to: string;
  /** Records holding a value the new type does not take. */
  records: number;
  example: { id: string; value: unknown; reason: string };
}

/** Fields of `entity` whose type `next` changes while records hold values the new type refuses. */
async function strandedValues(store: Pick<StoreReader, 'find'>, before: CompiledEntity, entity: CompiledEntity): Promise<StrandedValues[]> {
  const retyped = [...entity.fields.values()].flatMap(({ name: field, definition }) => {
    const from = before.fields.get(field)?.definition.type;
    return from !== undefined && from !== definition.type ? [{ field, from, to: definition.type }] : [];
  });
  if (retyped.length === 0) return [];
  const stranded = new Map<string, StrandedValues>();
  await eachStoredRecord(store, entity.name, (row) => {
    for (const { field, from, to } of retyped) {
      const value = row.data[field];
      if (!hasValue(value)) continue;
      const issue = checkValues(entity, { [field]: value }, 'en').find((i) => i.path === `/${field}` || i.path.startsWith(`/${field}/`));
      if (!issue) continue;
      const known = stranded.get(field);
      if (known) known.records++;
      else stranded.set(field, { field, from, to, records: 1, example: { id: row.id, value, reason: issue.message } });
    }
  });
  return [...stranded.values()];
}

/** The stranded values of `entities` as issues of the entity documents that retype their fields: what apply refuses with. */
export async function checkTypeChangeIssues(store: Pick<StoreReader, 'find'>, previous: CompiledModel, next: CompiledModel, entities: Iterable<string>): Promise<{ kind: string; name: string; issues: { path: string; code: string; message: string }[] }[]> {
  const out: { kind: string; name: string; issues: { path: string; code: string; message: string }[] }[] = [];
  for (const name of entities) {
    const entity = next.entities.get(name);
    const before = previous.entities.get(name);
    if (!entity || !before) continue;
    for (const s of await strandedValues(store, before, entity)) {
      out.push({
        kind: 'entity',
        name,
        issues: [{
          path: `/fields/${s.field}/type`,
          code: 'META_TYPE_CHANGE',
          message: `${s.records} stored record(s) hold a value that is no ${s.to} (e.g. ${s.example.id}: ${JSON.stringify(s.example.value).slice(0, 80)}, ${s.example.reason}): a save does not convert them — change the type from ${s.from} with the type-change refactoring (POST /api/meta/refactor/change-type), which does, or remove the field and add it anew`,
        }],
      });
    }
  }
  return out;
}
