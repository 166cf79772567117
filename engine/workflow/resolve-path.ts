// Reads a dotted field path of a record, following lookups: `account.accountManager` is the
// `accountManager` of the account the record's `account` field points to. Used for recipients and
// approvers named by a field. Reads in system mode: the path is metadata, not user input.

import type { CompiledModel } from '../compile/compiled-model.ts';
import type { StoreReader } from '../store/store-port.ts';

export async function resolvePath(args: { model: CompiledModel; reader: StoreReader; entity: string; record: Record<string, unknown>; path: string }): Promise<unknown> {
  const parts = args.path.split('.');
  let entity = args.model.entities.get(args.entity);
  let value: unknown = args.record;
  for (const [i, part] of parts.entries()) {
    value = (value as Record<string, unknown> | undefined)?.[part];
    if (i === parts.length - 1 || value === undefined) break;
    const field = entity?.fields.get(part);
    if (field?.definition.type === 'lookup' && typeof value === 'string') {
      const target = field.definition.to;
      value = (await args.reader.get(target, value))?.data;
      entity = args.model.entities.get(target);
    }
  }
  return value;
}
