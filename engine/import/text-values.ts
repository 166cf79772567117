// Which field values a file's text can give: a field type that parses text (numbers, dates,
// options, yes/no), a text-like value (the text itself), a lookup through its `lookups` key. A
// reference shown by a name (a person) or a value that is no single text (several linked records,
// files, an address, a consent) cannot be read from what a readable export shows: such a text is
// refused with a reason that says so, instead of the validator's "must be array" or id pattern.

import type { CompiledField } from '../compile/compiled-model.ts';
import { recordIdSchema } from '../fields/types/reference-types.ts';
import type { LocalizedText } from '../kernel/i18n.ts';

const recordId = new RegExp(String(recordIdSchema['pattern']));

function textKind(field: CompiledField): 'parsed' | 'text' | 'reference' | 'structured' {
  if (field.type.parseText) return 'parsed';
  const schema = field.schema as { type?: unknown; pattern?: unknown };
  if (schema.type !== 'string') return 'structured';
  return schema.pattern === recordIdSchema['pattern'] ? 'reference' : 'text';
}

/** Whether the text a readable export shows for the field reads back as its value (lookups aside: they are read by title). */
export function readsBackFromText(field: CompiledField): boolean {
  const kind = textKind(field);
  return kind === 'parsed' || kind === 'text';
}

/** Why `text` cannot be the field's value (a field without parseText), or undefined when it may be. */
export function textRefusal(field: CompiledField, text: string): LocalizedText | undefined {
  const kind = textKind(field);
  const type = field.definition.type;
  if (kind === 'structured') {
    return { en: `"${text}" cannot be read as a ${type} value from a cell (exports show it as names or titles, which are not read back): leave this column out, or import the values from JSON Lines`, zh: `「${text}」无法从单元格读取为 ${type} 值（导出显示的是名称或标题，不会读回）：请不导入此列，或用 JSON Lines 导入` };
  }
  if (kind === 'reference' && !recordId.test(text)) {
    return { en: `"${text}" is not a record id: exports show ${type} values by name, which is not read back — leave this column out, or give ids`, zh: `「${text}」不是记录 ID：导出按名称显示 ${type} 值，名称不会读回——请不导入此列，或填写 ID` };
  }
  return undefined;
}
