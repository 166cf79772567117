// Which field values a file's text can give: a field type that parses text (numbers, dates,
// options, yes/no), a text-like value (the text itself), a lookup through its `lookups` key. A
// reference shown by a name (a person) or a value that is no single text (several linked records,
// files, an address, a consent) cannot be read from what a readable export shows: such a text is
// refused with a reason that says so, instead of the validator's "must be array" or id pattern.

import type { CompiledField } from '../compile/compiled-model.ts';
import { recordIdSchema } from '../fields/types/reference-types.ts';
import { labelsOf, type LocalizedText } from '../kernel/i18n.ts';

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

/** The named parts of a field whose one value is an object of them (an address), or undefined. */
function partsOf(field: CompiledField): string[] | undefined {
  const schema = field.schema as { type?: unknown; properties?: Record<string, unknown> };
  return schema.type === 'object' && schema.properties ? Object.keys(schema.properties) : undefined;
}

/** A transform building the first part from `column` (a name in back quotes: spaces and any script read as one name). */
const partsTransform = (parts: string[], column: string) => `{"${parts[0]}": \`${column}\`}`;

/**
 * Why the column cannot feed a field with parts (an address) as it is, naming the transform that can;
 * undefined for a field without parts.
 */
export function partsReason(field: CompiledField, column: string): LocalizedText | undefined {
  const parts = partsOf(field);
  if (!parts || parts.length === 0) return undefined;
  const label = labelsOf(field.definition.label, field.name);
  const example = partsTransform(parts, column);
  return {
    en: `${label.en} has parts (${parts.join(', ')}) that one cell does not tell apart: to import it, pick this field and add a transform that builds them, such as ${example}`,
    zh: `「${label.zh}」由多个部分组成（${parts.join(', ')}），单个单元格无法区分：如需导入，请选择此字段并添加构建各部分的转换，例如 ${example}`,
  };
}

/** Why `text` cannot be the field's value (a field without parseText), or undefined when it may be; `column`: the file's column it came from. */
export function textRefusal(field: CompiledField, text: string, column?: string): LocalizedText | undefined {
  const kind = textKind(field);
  const type = field.definition.type;
  const parts = column === undefined ? undefined : partsOf(field);
  if (kind === 'structured' && parts && parts.length > 0) {
    const label = labelsOf(field.definition.label, field.name);
    const example = partsTransform(parts, column!);
    return { en: `"${text}" is one text, but ${label.en} has parts (${parts.join(', ')}): add a transform that builds them, such as ${example}`, zh: `「${text}」是一段文本，而「${label.zh}」由多个部分组成（${parts.join(', ')}）：请添加构建各部分的转换，例如 ${example}` };
  }
  if (kind === 'structured') {
    return { en: `"${text}" cannot be read as a ${type} value from a cell (exports show it as names or titles, which are not read back): leave this column out, or import the values from JSON Lines`, zh: `「${text}」无法从单元格读取为 ${type} 值（导出显示的是名称或标题，不会读回）：请不导入此列，或用 JSON Lines 导入` };
  }
  if (kind === 'reference' && !recordId.test(text)) {
    return { en: `"${text}" is not a record id: exports show ${type} values by name, which is not read back — leave this column out, or give ids`, zh: `「${text}」不是记录 ID：导出按名称显示 ${type} 值，名称不会读回——请不导入此列，或填写 ID` };
  }
  return undefined;
}
