// The several targets of one mapping as the wizard edits them: each row of the file becomes a record
// of every target, written in the mapping's order (engine/import/run-import.ts), so a lookup from one
// target to another's entity (a contact's account by name) finds the record an earlier target wrote
// from the same row — and finds nothing, or the record of an earlier row, when that target comes later.
// The draft edits one target at a time; the others wait in its `base`, as toMapping writes them.

import type { EntityDef } from '../api/meta.ts';
import type { ImportMapping, ImportTarget, Suggestion } from '../api/imports.ts';
import { draftFromMapping, draftFromSuggestion, editedTargetIndex, toMapping, type Draft } from './mapping-model.ts';

type Entities = ReadonlyMap<string, EntityDef>;

/** Every target of the mapping the draft makes, in the order rows are written to them. */
export function targetsOf(draft: Draft): ImportTarget[] {
  return toMapping(draft).targets;
}

/** The draft of another target of the same mapping (the edits of the one left are kept in it). */
export function switchTarget(draft: Draft, index: number, entities: Entities): Draft {
  return draftAt(toMapping(draft), index, entities);
}

/**
 * A new target after the others, its columns as the server suggests them for its entity (lookups by
 * the looked-up entity's title: a contact's client by name), edited next.
 */
export function addTarget(draft: Draft, entity: EntityDef, suggestion: Suggestion, entities: Entities): Draft {
  const mapping = toMapping(draft);
  const fresh = draftFromSuggestion(entity, suggestion, entities);
  const target = toMapping({ ...fresh, reading: draft.reading }).targets[0]!;
  return draftAt({ ...mapping, targets: [...mapping.targets, target] }, mapping.targets.length, entities);
}

/** Without one target; the edited one stays edited (or its neighbour, when it was the one removed). */
export function removeTarget(draft: Draft, index: number, entities: Entities): Draft {
  const mapping = toMapping(draft);
  if (mapping.targets.length <= 1) return draft;
  const edited = editedTargetIndex(draft);
  const targets = mapping.targets.filter((_, i) => i !== index);
  const next = edited === index ? Math.min(index, targets.length - 1) : edited > index ? edited - 1 : edited;
  return draftAt({ ...mapping, targets }, next, entities);
}

/** One target moved a place earlier (`-1`) or later (`1`); the edited one stays edited. */
export function moveTarget(draft: Draft, index: number, by: -1 | 1, entities: Entities): Draft {
  const mapping = toMapping(draft);
  const other = index + by;
  if (other < 0 || other >= mapping.targets.length) return draft;
  const targets = [...mapping.targets];
  [targets[index], targets[other]] = [targets[other]!, targets[index]!];
  const edited = editedTargetIndex(draft);
  const next = edited === index ? other : edited === other ? index : edited;
  return draftAt({ ...mapping, targets }, next, entities);
}

function draftAt(mapping: ImportMapping, index: number, entities: Entities): Draft {
  const entity = mapping.targets[index]!.entity;
  const def = entities.get(entity) ?? ({ name: entity, fields: {} } as unknown as EntityDef);
  return draftFromMapping(def, mapping, index);
}

/**
 * What the order of targets does to a lookup between them, by target: `later` — the lookup's entity
 * is written by a later target only, so the row's own record does not exist yet when it is looked up;
 * `unkeyed` — the earlier target creates a record on every row (no key on the field looked up by), so
 * the second row of the same client finds two and is refused.
 */
export interface TargetLookupIssue {
  target: number;
  field: string;
  kind: 'later' | 'unkeyed';
  /** The target that writes the looked-up entity. */
  other: number;
  /** The field of the looked-up entity matched. */
  by: string;
}

export function targetLookupIssues(targets: ImportTarget[], entities: Entities): TargetLookupIssue[] {
  const issues: TargetLookupIssue[] = [];
  targets.forEach((target, index) => {
    const fields = entities.get(target.entity)?.fields ?? {};
    for (const [field, { by }] of Object.entries(target.lookups ?? {})) {
      const to = fields[field]?.to;
      if (typeof to !== 'string') continue;
      const earlier = targets.findIndex((t, i) => i < index && t.entity === to);
      if (earlier >= 0) {
        if (by !== 'id' && !(targets[earlier]!.key ?? []).includes(by)) issues.push({ target: index, field, kind: 'unkeyed', other: earlier, by });
        continue;
      }
      const later = targets.findIndex((t, i) => i > index && t.entity === to);
      if (later >= 0) issues.push({ target: index, field, kind: 'later', other: later, by });
    }
  });
  return issues;
}

/**
 * Entities listed more than once, with how many times, in the order they first appear. Allowed (a
 * row's main and second contact), but each row then writes that many records of it — easy to do
 * unawares by adding an entity already there.
 */
export function repeatedTargets(targets: ImportTarget[]): { entity: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const target of targets) counts.set(target.entity, (counts.get(target.entity) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([entity, count]) => ({ entity, count }));
}
