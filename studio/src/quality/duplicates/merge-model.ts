// What a merge shows and sends, from the entity's metadata and the cluster's records: the fields a
// merge may carry over (not computed ones), which of them differ, the request for the choices made,
// and the entities whose lookups point here (their records follow the survivor).

import type { EntityDef, FieldDef } from '../../api/meta.ts';
import type { DuplicateCluster, MergeRequest } from '../../api/duplicates.ts';
import type { RecordValues } from '../../api/records.ts';
import type { Label } from '../../i18n/i18n.ts';

const computedTypes = new Set(['formula', 'rollup', 'autonumber']);

export interface DuplicateRuleDef {
  label?: Label;
  match: string[];
  method?: 'exact' | 'normalized' | 'fuzzy';
  threshold?: number;
}

export function duplicateRulesOf(entity: EntityDef | undefined): Record<string, DuplicateRuleDef> {
  return ((entity as { duplicateRules?: Record<string, DuplicateRuleDef> } | undefined)?.duplicateRules) ?? {};
}

/** What names a cluster's rule: its label (the server's, in the language asked for), else its name. */
export const ruleTitle = (cluster: DuplicateCluster): string => cluster.ruleLabel || cluster.rule;

/** Fields a merge may take from another record, in the entity's order. */
export function mergeableFields(entity: EntityDef): [string, FieldDef][] {
  return Object.entries(entity.fields).filter(([, f]) => !computedTypes.has(f.type));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function differs(records: RecordValues[], field: string): boolean {
  return records.some((r) => !same(r[field], records[0]![field]));
}

/** For each differing field, the survivor's value unless it is empty and another record has one. */
export function defaultChoices(entity: EntityDef, records: RecordValues[], survivor: string): Record<string, string> {
  const out: Record<string, string> = {};
  const first = records.find((r) => r.id === survivor);
  if (!first) return out;
  for (const [name, field] of mergeableFields(entity)) {
    // A field the user may only read keeps the survivor's value: the server refuses taking another's.
    if (!differs(records, name) || field.readOnly) continue;
    const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    out[name] = empty(first[name]) ? (records.find((r) => !empty(r[name]))?.id ?? survivor) : survivor;
  }
  return out;
}

/** The request for the choices made over the records as shown: their versions go with it, so that a record someone changed since is not merged unseen. */
export function mergeRequestOf(survivor: string, ids: string[], choices: Record<string, string>, records: RecordValues[]): MergeRequest {
  const values = Object.fromEntries(Object.entries(choices).filter(([, from]) => from !== survivor && ids.includes(from)));
  const versions = Object.fromEntries(records.filter((r) => ids.includes(r.id) && typeof r['version'] === 'number').map((r) => [r.id, r['version'] as number]));
  return { survivor, merged: ids.filter((id) => id !== survivor), ...(Object.keys(values).length > 0 ? { values } : {}), ...(Object.keys(versions).length > 0 ? { versions } : {}) };
}

/**
 * What a merge error's pointer names, for a person: the record at `/survivor` or `/merged/<i>` by
 * its title, the field at `/values/<field>` by its label (undefined: the pointer as it is).
 */
export function mergePlaceName(path: string, request: Pick<MergeRequest, 'survivor' | 'merged'>, titleOf: (id: string) => string, fieldLabel: (field: string) => string): string | undefined {
  if (path === '/survivor') return titleOf(request.survivor);
  const merged = /^\/merged\/(\d+)$/.exec(path);
  if (merged) {
    const id = request.merged[Number(merged[1])];
    return id === undefined ? undefined : titleOf(id);
  }
  const value = /^\/values\/([^/]+)$/.exec(path);
  return value ? fieldLabel(value[1]!) : undefined;
}

/** The older record survives by default: the one created first (else the first id). */
export function defaultSurvivor(records: RecordValues[], ids: string[]): string {
  const dated = records.filter((r) => typeof r['createdAt'] === 'string').sort((a, b) => String(a['createdAt']).localeCompare(String(b['createdAt'])));
  return dated[0]?.id ?? ids[0]!;
}
