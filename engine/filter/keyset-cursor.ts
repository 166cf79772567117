// filter/keyset-cursor: the opaque `cursor` query parameter of keyset pagination. It carries the
// last row's sort values and id as base64url JSON; decoding checks it against the current sort so
// a cursor can never smuggle a value of the wrong type into a store query.

import { CrmError } from '../kernel/errors.ts';
import type { KeysetPosition, ScalarValue, SortKey } from './filter-tree.ts';

const maxCursorLength = 4096;

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ v: position.values, id: position.id }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor for the same sort keys. Throws CrmError INVALID_QUERY (path `/cursor`). */
export function decodeCursor(text: string, sortKeys: readonly SortKey[]): KeysetPosition {
  if (typeof text !== 'string' || text.length === 0 || text.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw invalidCursor('the cursor is not a cursor this server issued');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('the cursor is not a cursor this server issued');
  }
  if (typeof decoded !== 'object' || decoded === null) throw invalidCursor('the cursor is not a cursor this server issued');
  const { v: values, id } = decoded as { v?: unknown; id?: unknown };
  if (typeof id !== 'string' || !Array.isArray(values)) throw invalidCursor('the cursor is not a cursor this server issued');
  if (values.length !== sortKeys.length) throw invalidCursor('the cursor belongs to a different sort');
  const checked = values.map((value: unknown) => {
    if (!isScalar(value)) throw invalidCursor('the cursor belongs to a different sort');
    return value as ScalarValue;
  });
  return { values: checked, id };
}

/**
 * Any scalar: a cursor value is only ever a bound parameter, and stored values need not match the
 * field's current type (a type change keeps old records until they are written again).
 */
function isScalar(value: unknown): value is ScalarValue {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function invalidCursor(message: string): CrmError {
  return new CrmError('INVALID_QUERY', { en: 'The cursor is not valid', zh: '分页游标无效' }, [{ path: '/cursor', message }]);
}
