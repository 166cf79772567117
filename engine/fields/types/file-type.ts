// The `file` field type: files attached to a record. A file is uploaded first (POST /api/files, kept
// pending), then written into the field by its id; the write checks each new id is a pending upload
// of this field by the caller and stores its descriptor {id, name, contentType, size} (records/
// check-file-fields). Clearing the field or deleting the record deletes the file (files/files-module).

import type { FieldType, FieldOf, JsonSchema } from '../field-type.ts';
import { recordIdSchema } from './reference-types.ts';
import { typeWidgets } from '../form-widgets.ts';

export const defaultMaxFiles = 10;

/** What a stored file field value holds per file. */
export interface FileDescriptor {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

/** One file as written: its id, or a descriptor (as read back) of which only the id counts. */
const oneFileSchema: JsonSchema = {
  anyOf: [
    { ...recordIdSchema },
    {
      type: 'object',
      required: ['id'],
      properties: { id: { ...recordIdSchema }, name: { type: 'string', maxLength: 255 }, contentType: { type: 'string', maxLength: 255 }, size: { type: 'integer', minimum: 0 } },
      additionalProperties: false,
    },
  ],
};

/** The file ids a field value holds (an id, a descriptor, or a list of either), in order. */
export function fileIdsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.flatMap((item) => (typeof item === 'string' ? [item] : item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? [(item as { id: string }).id] : []));
}

/** Does a media type (`image/png`) match one of the field's allowed types (`image/*`, `application/pdf`)? Any, when none are set. */
export function contentTypeAllowed(field: Pick<FieldOf<'file'>, 'contentTypes'>, contentType: string): boolean {
  if (!field.contentTypes) return true;
  const [major] = contentType.split('/');
  return field.contentTypes.some((allowed) => allowed === contentType || (allowed.endsWith('/*') && allowed.slice(0, -2) === major));
}

export const fileType: FieldType<'file'> = {
  type: 'file',
  widgets: typeWidgets.file,
  compute: 'none',
  valueSchema: (field) =>
    field.multiple
      ? { type: 'array', items: oneFileSchema, minItems: field.required ? 1 : 0, maxItems: field.maxItems ?? defaultMaxFiles }
      : { ...oneFileSchema },
  // Not filterable or sortable: a descriptor is not a value to compare.
  filterables: () => [],
  checkDefinition(field, { path }) {
    return field.maxItems !== undefined && field.multiple !== true ? [{ path: `${path}/maxItems`, message: 'applies only to a field with "multiple": true' }] : [];
  },
};
