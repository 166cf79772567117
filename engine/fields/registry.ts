// The field-type registry: adding a type means adding its module and one line here (and its
// definition schema in schemas/field.schema.json; a test checks the two agree).

import type { FieldType, FieldTypeName } from './field-type.ts';
import { addressType, consentType } from './types/composite-types.ts';
import { booleanType, multipicklistType, picklistType } from './types/choice-types.ts';
import { dateType, datetimeType } from './types/date-types.ts';
import { currencyType, integerType, numberType, percentType } from './types/number-types.ts';
import { autonumberType, formulaType, lookupType, rollupType } from './types/reference-types.ts';
import { emailType, phoneType, textType, textareaType, urlType } from './types/text-types.ts';
import { userType } from './types/user-type.ts';
import { polymorphicLookupType } from './types/polymorphic-lookup-type.ts';
import { multiLookupType } from './types/multi-lookup-type.ts';
import { fileType } from './types/file-type.ts';

const allTypes = [
  textType, textareaType, emailType, phoneType, urlType,
  integerType, numberType, currencyType, percentType,
  booleanType, dateType, datetimeType, picklistType, multipicklistType,
  lookupType, autonumberType, formulaType, rollupType, addressType, consentType,
  userType, polymorphicLookupType, multiLookupType, fileType,
] as const;

const registry: ReadonlyMap<string, FieldType> = new Map(allTypes.map((t) => [t.type, t as unknown as FieldType]));

export function fieldTypeNames(): string[] {
  return [...registry.keys()];
}

export function getFieldType<T extends FieldTypeName>(name: T): FieldType<T> {
  const type = registry.get(name);
  if (!type) throw new Error(`Unknown field type ${name}`);
  return type as unknown as FieldType<T>;
}
