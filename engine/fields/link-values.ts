// The elements of a multiLookup value: a linked record's id, or — when the field declares
// `linkFields` — `{ id, …attributes }` (a contact's role in a deal). One place reads both shapes,
// so unlinking, repointing, checking and listing links never care which one a record holds (a
// field that gained attributes keeps its older plain ids until the record is written again).

import type { IssueDetail } from '../kernel/errors.ts';
import { objectMemberNames } from '../kernel/forbidden-keys.ts';
import type { MultiLookupField } from '../metadata/generated/metadata.ts';
import type { DefinitionCheckContext, FieldType, JsonSchema } from './field-type.ts';
import { booleanType, picklistType } from './types/choice-types.ts';
import { dateType, datetimeType } from './types/date-types.ts';
import { currencyType, integerType, numberType, percentType } from './types/number-types.ts';
import { recordIdSchema } from './types/reference-types.ts';
import { emailType, phoneType, textType, textareaType, urlType } from './types/text-types.ts';

/**
 * Types a link attribute may have — one scalar value each — taken from their modules here rather
 * than from the registry, which holds the multiLookup type that imports this file.
 */
const linkTypes: ReadonlyMap<string, FieldType> = new Map(
  [textType, textareaType, emailType, phoneType, urlType, integerType, numberType, currencyType, percentType, booleanType, dateType, datetimeType, picklistType].map((t) => [t.type, t as unknown as FieldType]),
);
export const linkFieldTypes: ReadonlySet<string> = new Set(linkTypes.keys());

/** One element with attributes: `{ id, …attributes }`, each attribute's schema from its field type. */
export function linkElementSchema(field: MultiLookupField): JsonSchema {
  const attributes = Object.entries(field.linkFields ?? {}).filter(([, def]) => linkFieldTypes.has(def.type));
  return {
    type: 'object',
    required: ['id', ...attributes.filter(([, def]) => 'required' in def && def.required === true).map(([name]) => name)],
    properties: { id: { ...recordIdSchema }, ...Object.fromEntries(attributes.map(([name, def]) => [name, { ...linkTypes.get(def.type)!.valueSchema(def as never), 'x-crm-type': def.type }])) },
    additionalProperties: false,
  };
}

/** The link attributes' definitions: simple types, no uniqueness or default, and each type's own checks. */
export function checkLinkFields(field: MultiLookupField, context: DefinitionCheckContext): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [name, def] of Object.entries(field.linkFields ?? {})) {
    const at = `${context.path}/linkFields/${name}`;
    if (objectMemberNames.has(name) || name === 'id') {
      issues.push({ path: at, code: 'META_RESERVED_NAME', message: name === 'id' ? '"id" is the linked record\'s id and cannot be a link attribute' : `"${name}" is a name every JavaScript object already has and cannot be a field name` });
      continue;
    }
    if (!linkFieldTypes.has(def.type)) {
      issues.push({ path: `${at}/type`, message: `a link attribute must be of a simple type (${[...linkFieldTypes].join(', ')}), not ${def.type}` });
      continue;
    }
    if ('unique' in def && def.unique) issues.push({ path: `${at}/unique`, message: 'a link attribute cannot be unique' });
    if ('default' in def && def.default !== undefined) issues.push({ path: `${at}/default`, message: 'a link attribute has no default' });
    if ('defaultExpression' in def && def.defaultExpression !== undefined) issues.push({ path: `${at}/defaultExpression`, message: 'a link attribute has no default' });
    issues.push(...(linkTypes.get(def.type)!.checkDefinition?.(def as never, { ...context, path: at, fieldName: `${context.fieldName}.${name}` }) ?? []));
  }
  return issues;
}

/** A link as stored: an id, or an id with the link's attributes. */
export type LinkElement = string | { id: string; [attribute: string]: unknown };

/** The linked id of one element (undefined for anything else). */
export function linkId(element: unknown): string | undefined {
  if (typeof element === 'string') return element;
  if (element && typeof element === 'object' && !Array.isArray(element)) {
    const id = (element as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

/** The ids a multiLookup value links, in order. */
export function linkIds(value: unknown): string[] {
  return Array.isArray(value) ? value.map(linkId).filter((id): id is string => id !== undefined) : [];
}

/** The attributes of one element (none for a plain id). */
export function linkAttributes(element: unknown): Record<string, unknown> {
  if (!element || typeof element !== 'object' || Array.isArray(element)) return {};
  const { id: _id, ...attributes } = element as Record<string, unknown>;
  return attributes;
}

/** id → attributes of every link of a value. */
export function linkAttributeMap(value: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (Array.isArray(value)) for (const element of value) {
    const id = linkId(element);
    if (id !== undefined) out[id] = linkAttributes(element);
  }
  return out;
}
