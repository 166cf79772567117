// Times a person's act through a form records (a consent given or withdrawn) are the server's, from
// the injectable clock: a browser's clock can be wrong or set back (FieldType.stampFormValue).

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { RecordValues } from './record-shape.ts';

export function stampFormValues(args: { entity: CompiledEntity; values: RecordValues; previous?: RecordValues | undefined; now: string }): RecordValues {
  const { entity, values, previous, now } = args;
  let out: RecordValues | undefined;
  for (const key of Object.keys(values)) {
    const field = entity.fields.get(key);
    if (!field?.type.stampFormValue || values[key] === undefined) continue;
    const stamped = field.type.stampFormValue(values[key], previous?.[key], now);
    if (stamped === values[key]) continue;
    out ??= { ...values };
    out[key] = stamped;
  }
  return out ?? values;
}
