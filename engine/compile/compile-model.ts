// Compiles a whole metadata set into a frozen model. Checks come first (checkSet); compile assumes
// a checked set and reports only what needs compiled schemas to see (invalid defaults).
//
// Incremental: given the model the set changes (`previous`), each entity whose definition is
// unchanged keeps what it compiled from its definition alone (schemas, validators, expressions);
// only the links between items are derived anew. The result is a new model — the previous one is
// never changed, so requests holding it go on undisturbed until the runtime swaps the new one in.

import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { DocumentIssues } from '../kinds/check-metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { CompiledEntity, CompiledModel } from './compiled-model.ts';
import { compileEntity, setLinks } from './compile-entity.ts';
import { createRecordAjv } from './record-ajv.ts';

export interface CompileStats {
  /** Entities compiled from their definition. */
  compiled: number;
  /** Entities whose compiled definition was taken over from the previous model. */
  reused: number;
}

export function compileModel(set: MetadataSet, revision: number, previous?: CompiledModel): { model: CompiledModel; issues: DocumentIssues[]; stats: CompileStats } {
  let ajv: Ajv2020 | undefined;
  const ajvOnce = () => (ajv ??= createRecordAjv());
  const links = setLinks(set);
  const entities = new Map<string, CompiledEntity>();
  const issues: DocumentIssues[] = [];
  const stats: CompileStats = { compiled: 0, reused: 0 };
  for (const entity of set.entities()) {
    const result = compileEntity(entity, set, ajvOnce, previous?.entities.get(entity.name), links);
    entities.set(entity.name, result.compiled);
    stats[result.reused ? 'reused' : 'compiled']++;
    if (result.issues.length > 0) issues.push({ kind: 'entity', name: entity.name, issues: result.issues });
  }
  return { model: Object.freeze({ revision, set, entities }), issues, stats };
}
