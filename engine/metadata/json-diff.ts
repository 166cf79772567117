// Leaf-level differences between two JSON documents, by JSON pointer: what a template step, a
// revision, a revert and an import show item by item.

import { pointerSegment } from '../kernel/errors.ts';
import { sameJson } from './merge-contributions.ts';

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface JsonChange {
  path: string;
  before?: Json;
  after?: Json;
}

/** Leaf-level differences between two documents (arrays compared whole), at most `limit`. */
export function diffJson(before: Json, after: Json, limit = 200, path = '', out: JsonChange[] = []): JsonChange[] {
  if (out.length >= limit || sameJson(before, after)) return out;
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) diffJson(before[key], after[key], limit, `${path}/${pointerSegment(key)}`, out);
    return out;
  }
  out.push({ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  return out;
}
