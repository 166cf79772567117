// What an entity's writes have to do beyond storing the values, worked out once per compiled entity
// (a new model revision compiles new entities): the write path skips a step — and its await — that
// has nothing to do for this entity. Bulk writers (imports) call the write path per record, so an
// empty step costs them per row.

import type { CompiledEntity } from '../compile/compiled-model.ts';

export interface WriteTraits {
  autonumbers: boolean;
  userFields: boolean;
  polymorphicLookups: boolean;
  multiLookups: boolean;
  fileFields: boolean;
  rollups: boolean;
  /** A normalized or fuzzy duplicate rule: the record's keys are kept beside it (match-keys.ts). */
  matchKeys: boolean;
}

const cache = new WeakMap<CompiledEntity, WriteTraits>();

export function writeTraits(entity: CompiledEntity): WriteTraits {
  let traits = cache.get(entity);
  if (!traits) {
    const types = new Set([...entity.fields.values()].map((field) => field.definition.type));
    traits = { autonumbers: types.has('autonumber'), userFields: types.has('user'), polymorphicLookups: types.has('polymorphicLookup'), multiLookups: types.has('multiLookup'), fileFields: types.has('file'), rollups: types.has('rollup'), matchKeys: entity.duplicateRules.some((rule) => rule.method !== 'exact') };
    cache.set(entity, traits);
  }
  return traits;
}
