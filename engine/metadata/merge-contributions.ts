// Shared items: several templates contribute to one item (an `account` entity that two templates
// both define). Their contributions merge key by key, in install order; at a JSON pointer where
// two contributions hold different non-object values the first installed one stays. Arrays are
// values, not objects: two different option lists conflict rather than interleave.

import { pointerSegment } from '../kernel/errors.ts';

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const sameJson = (a: Json, b: Json): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Top-level keys where the first installed template's value stays without being a conflict. */
const firstWinsKeys = new Set(['label', 'pluralLabel', 'description']);

/** Deep merge by key, earlier contributions winning at conflicting values. Inputs are not changed. */
export function mergeContributions(contributions: readonly Record<string, Json>[]): Record<string, Json> {
  let merged: Record<string, Json> = {};
  for (const contribution of contributions) merged = mergeTwo(merged, contribution) as Record<string, Json>;
  return merged;
}

function mergeTwo(earlier: Json, later: Json): Json {
  if (earlier === undefined) return structuredClone(later);
  if (!isObject(earlier) || !isObject(later)) return earlier;
  const out: Record<string, Json> = { ...earlier };
  for (const [key, value] of Object.entries(later)) out[key] = mergeTwo(earlier[key], value);
  return out;
}

export interface ContributionConflict {
  /** JSON pointer inside the item. */
  path: string;
  /** The value already installed there. */
  installed: Json;
  /** The value the incoming contribution holds there. */
  incoming: Json;
}

/** Pointers where two contributions hold different non-object values (top-level labels excepted). */
export function findContributionConflicts(installed: Json, incoming: Json, path = ''): ContributionConflict[] {
  if (installed === undefined || incoming === undefined) return [];
  if (isObject(installed) && isObject(incoming)) {
    return Object.keys(incoming).flatMap((key) =>
      path === '' && firstWinsKeys.has(key) ? [] : findContributionConflicts(installed[key], incoming[key], `${path}/${pointerSegment(key)}`),
    );
  }
  return sameJson(installed, incoming) ? [] : [{ path, installed, incoming }];
}
