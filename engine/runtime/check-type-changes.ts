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

export interface StrandedValues {
  entity: string;
  field: string;
  from: string;
  to: string;
  /** Records holding a value the new type does not take. */
  records: number;
  example: { id: string; value: unknown; reason: string };
}

const fieldTypes = (entity: CompiledEntity | undefined): Record<string, { type?: unknown }> => (entity?.definition.fields ?? {}) as Record<string, { type?: unknown }>;

/** Fields of `entities` whose type `next` changes while records hold values the new type refuses. */
export async function findStrandedValues(store: Pick<StoreReader, 'find'>, previous: CompiledModel, next: CompiledModel, entities: Iterable<string>): Promise<StrandedValues[]> {
  const found: StrandedValues[] = [];
  for (const name of entities) {
    const entity = next.entities.get(name);
    const before = fieldTypes(previous.entities.get(name));
    if (!entity) continue;
    const retyped = Object.entries(fieldTypes(entity))
      .filter(([field, definition]) => before[field] !== undefined && before[field]!.type !== definition.type)
      .map(([field, definition]) => ({ field, from: String(before[field]!.type), to: String(definition.type) }));
    if (retyped.length === 0) continue;
    const stranded = new Map<string, StrandedValues>();
    await eachStoredRecord(store, name, (row) => {
      for (const { field, from, to } of retyped) {
        const value = row.data[field];
        if (!hasValue(value)) continue;
        const issue = checkValues(entity, { [field]: value }, 'en').find((i) => i.path === `/${field}` || i.path.startsWith(`/${field}/`));
        if (!issue) continue;
        const known = stranded.get(field);
        if (known) known.records++;
        else stranded.set(field, { entity: name, field, from, to, records: 1, example: { id: row.id, value, reason: issue.message } });
      }
    });
    found.push(...stranded.values());
  }
  return found;
}

/** Stranded values as issues of the entity documents that change the types: what apply refuses with. */
export function strandedValueIssues(stranded: readonly StrandedValues[]): { kind: string; name: string; issues: { path: string; code: string; message: string }[] }[] {
  return stranded.map((s) => ({
    kind: 'entity',
    name: s.entity,
    issues: [{
      path: `/fields/${s.field}/type`,
      code: 'META_TYPE_CHANGE',
      message: `${s.records} stored record(s) hold a value that is no ${s.to} (e.g. ${s.example.id}: ${JSON.stringify(s.example.value).slice(0, 80)}, ${s.example.reason}): a save does not convert them — change the type from ${s.from} with the type-change refactoring (POST /api/meta/refactor/change-type), which does, or remove the field and add it anew`,
    }],
  }));
}

/** Both at once, for apply and the dry runs. */
export async function checkTypeChangeIssues(store: Pick<StoreReader, 'find'>, previous: CompiledModel, next: CompiledModel, entities: Iterable<string>): Promise<ReturnType<typeof strandedValueIssues>> {
  return strandedValueIssues(await findStrandedValues(store, previous, next, entities));
}
