// Boolean and list field types: boolean, picklist, multipicklist.

import { type FieldType, elementOperators, scalarFilterable } from '../field-type.ts';
import { loose, parseBoolean, parseOption, parseOptions } from '../parse-text.ts';
import { pointerSegment, type IssueDetail } from '../../kernel/errors.ts';
import { typeWidgets } from '../form-widgets.ts';

export const booleanType: FieldType<'boolean'> = {
  type: 'boolean',
  widgets: typeWidgets.boolean,
  compute: 'none',
  valueSchema: () => ({ type: 'boolean' }),
  filterables: (_field, name) => [{ path: [name], valueType: 'boolean', array: false, operators: elementOperators, sortable: true }],
  parseText: (text) => parseBoolean(text),
};

export const picklistType: FieldType<'picklist'> = {
  type: 'picklist',
  widgets: typeWidgets.picklist,
  compute: 'none',
  valueSchema: (field) => ({ type: 'string', enum: Object.keys(field.options) }),
  filterables: (_field, name) => scalarFilterable(name, 'string'),
  parseText: (text, field) => parseOption(text, field.options),
  checkDefinition: (field, { path }) => checkOptionKeys(field.options, path),
};

export const multipicklistType: FieldType<'multipicklist'> = {
  type: 'multipicklist',
  widgets: typeWidgets.multipicklist,
  compute: 'none',
  valueSchema: (field) => ({
    type: 'array',
    items: { type: 'string', enum: Object.keys(field.options) },
    uniqueItems: true,
    minItems: field.minItems ?? 0,
    maxItems: field.maxItems ?? Object.keys(field.options).length,
  }),
  filterables: (_field, name) => [{ path: [name], valueType: 'string', array: true, operators: elementOperators, sortable: false }],
  parseText: (text, field) => parseOptions(text, field.options),
  checkDefinition(field, { path }) {
    if (field.minItems !== undefined && field.maxItems !== undefined && field.minItems > field.maxItems) {
      return [{ path: `${path}/minItems`, message: 'must not be greater than maxItems' }];
    }
    return checkOptionKeys(field.options, path);
  },
};

/**
 * Options whose keys are equal once case, width and spacing are set aside ("a" and "A", "ａ" and
 * "a", "in-progress" and "in progress"): an import, a type change or a cleansing synonym reads a
 * value as the first of them, whichever the sender meant, and people cannot tell them apart either.
 */
function checkOptionKeys(options: Record<string, unknown>, path: string): IssueDetail[] {
  const seen = new Map<string, string>();
  const issues: IssueDetail[] = [];
  for (const key of Object.keys(options)) {
    const first = seen.get(loose(key));
    if (first === undefined) {
      seen.set(loose(key), key);
      continue;
    }
    const en = `is the same option as "${first}" once case, full-width characters and spaces are set aside: an import could not tell which one a value means`;
    issues.push({ path: `${path}/options/${pointerSegment(key)}`, code: 'META_DUPLICATE', message: en, text: { en, zh: `忽略大小写、全角字符和空格后与选项「${first}」相同：导入时无法判断值指的是哪一个` } });
  }
  return issues;
}
