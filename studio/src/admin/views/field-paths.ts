// The fields a view (or a dashboard widget) may name: the entity's own fields, then one step
// through each single-target lookup (`account.name`), labelled "Account › Name" in the UI language.

import type { EntityDef, FieldDef } from '../../api/meta.ts';
import type { Label } from '../../i18n/i18n.ts';
import { targetsOf } from '../../records/lookup-titles.ts';
import type { FieldChoice } from '../forms/ConditionEditor.tsx';

/** Field types a list column or a sort cannot show sensibly. */
const notListable = new Set(['address']);

export function pathChoices(entity: EntityDef, entities: ReadonlyMap<string, EntityDef> | undefined, label: (l: Label, fallback?: string) => string): FieldChoice[] {
  const own = Object.entries(entity.fields).filter(([, f]) => !notListable.has(f.type));
  const out: FieldChoice[] = own.map(([n, f]) => ({ value: n, label: label(f.label, n), def: f }));
  for (const [n, f] of own) {
    const targets = targetsOf(f);
    const target = targets.length === 1 ? entities?.get(targets[0]!) : undefined;
    if (!target) continue;
    for (const [tn, tf] of Object.entries(target.fields)) {
      if (notListable.has(tf.type) || tf.type === 'multipicklist') continue;
      out.push({ value: `${n}.${tn}`, label: `${label(f.label, n)} › ${label(tf.label, tn)}`, def: tf });
    }
  }
  return out;
}

/** The definition behind a path (the looked-up entity's field for `lookup.field`). */
export function defOfPath(entity: EntityDef, entities: ReadonlyMap<string, EntityDef> | undefined, path: string): FieldDef | undefined {
  const [head, tail] = path.split('.', 2) as [string, string | undefined];
  const own = entity.fields[head];
  if (!tail) return own;
  const target = targetsOf(own)[0];
  return target ? entities?.get(target)?.fields[tail] : undefined;
}

/**
 * The type of value a field holds, for what may be summed, averaged or bucketed: a formula's is the
 * type it returns, a rollup's that of what it aggregates (a count is an integer). Other fields are
 * their type.
 */
export function valueTypeOf(def: FieldDef | undefined, entities: ReadonlyMap<string, EntityDef> | undefined, depth = 0): string | undefined {
  if (!def) return undefined;
  if (def.type === 'formula') return typeof def['returns'] === 'string' ? def['returns'] : undefined;
  if (def.type !== 'rollup') return def.type;
  if (def['op'] === 'count') return 'integer';
  const child = entities?.get(String(def['from'] ?? ''))?.fields[String(def['field'] ?? '')];
  return depth < 3 ? valueTypeOf(child, entities, depth + 1) : undefined;
}
