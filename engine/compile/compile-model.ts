// Compiles a whole metadata set into a frozen model. Checks come first (checkSet); compile assumes
// a checked set and reports only what needs compiled schemas to see (invalid defaults).

import type { DocumentIssues } from '../metadata/check-metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { CompiledEntity, CompiledModel } from './compiled-model.ts';
import { compileEntity } from './compile-entity.ts';
import { createRecordAjv } from './record-ajv.ts';

export function compileModel(set: MetadataSet, revision: number): { model: CompiledModel; issues: DocumentIssues[] } {
  const ajv = createRecordAjv();
  const entities = new Map<string, CompiledEntity>();
  const issues: DocumentIssues[] = [];
  for (const entity of set.entities()) {
    const result = compileEntity(entity, set, ajv);
    entities.set(entity.name, result.compiled);
    if (result.issues.length > 0) issues.push({ kind: 'entity', name: entity.name, issues: result.issues });
  }
  return { model: Object.freeze({ revision, set, entities }), issues };
}
