// Re-basing the admin's overlay (a merge patch made against one base) onto a new base — the
// three-way comparison an upgrade needs. Where the template changed what the admin also changed,
// the admin's value stays and a conflict is reported; where the template removed what the admin
// had changed, that fragment no longer fits: it is taken out of the overlay and reported (and
// kept in the template's state, so nothing the admin did is lost without a trace).

import { pointerSegment } from '../kernel/errors.ts';
import { sameJson } from '../metadata/merge-contributions.ts';

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

export type OverlayConflictType =
  /** The template changed a value the admin had changed too: the admin's value stays. */
  | 'bothChanged'
  /** The template now defines something the admin had added under the same name: the admin's keys win. */
  | 'bothAdded'
  /** The template removed something the admin had changed: the admin's change is taken out. */
  | 'removedByTemplate';

export interface OverlayConflict {
  path: string;
  type: OverlayConflictType;
  resolution: 'overlayKept' | 'overlayDropped';
  /** The value the admin's overlay sets (null: removes). */
  overlay: Json;
  /** The value in the base the overlay was made against. */
  previousBase: Json;
  /** The value in the new base. */
  newBase: Json;
}

export interface FittedOverlay {
  /** The overlay to keep (a merge patch against the new base); undefined when nothing is left. */
  patch: Record<string, Json> | undefined;
  conflicts: OverlayConflict[];
  /** Fragments taken out, by pointer. */
  dropped: { path: string; value: Json }[];
}

export function fitOverlay(patch: Record<string, Json>, previousBase: Json, newBase: Json): FittedOverlay {
  const out: FittedOverlay = { patch: undefined, conflicts: [], dropped: [] };
  const kept = fitValue(patch, previousBase, newBase, '', out);
  out.patch = isObject(kept) ? kept : {};
  return out;
}

const DROP = Symbol('drop');

function fitValue(p: Json, o: Json, n: Json, path: string, out: FittedOverlay): Json | typeof DROP {
  const conflict = (type: OverlayConflictType, resolution: OverlayConflict['resolution']) =>
    out.conflicts.push({ path, type, resolution, overlay: p, previousBase: o, newBase: n });
  if (p === null) {
    // A removal: nothing to remove any more is no conflict; removing what the template changed is.
    if (n === undefined) return DROP;
    if (o !== undefined && !sameJson(o, n)) conflict('bothChanged', 'overlayKept');
    return null;
  }
  if (!isObject(p)) {
    if (sameJson(o, n)) return p;
    if (sameJson(p, n)) return DROP; // the template now says what the admin said
    conflict(o === undefined ? 'bothAdded' : 'bothChanged', 'overlayKept');
    return p;
  }
  const previous = isObject(o) ? o : undefined;
  if (previous !== undefined && n === undefined) {
    conflict('removedByTemplate', 'overlayDropped');
    out.dropped.push({ path, value: p });
    return DROP;
  }
  if (n !== undefined && !isObject(n)) {
    conflict('bothChanged', 'overlayKept');
    return p;
  }
  if (previous === undefined && n !== undefined && path !== '') {
    // The admin added it and now the template adds the same name: report once, keep the admin's keys.
    conflict('bothAdded', 'overlayKept');
    return p;
  }
  const kept: Record<string, Json> = {};
  for (const [key, value] of Object.entries(p)) {
    const child = fitValue(value, previous?.[key], isObject(n) ? n[key] : undefined, `${path}/${pointerSegment(key)}`, out);
    if (child !== DROP) kept[key] = child;
  }
  return Object.keys(kept).length > 0 || path === '' ? kept : DROP;
}

// The leaf-level diff lives with the metadata (revisions and imports use it too).
export { diffJson, type JsonChange } from '../metadata/json-diff.ts';
