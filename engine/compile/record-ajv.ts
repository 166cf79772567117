// One ajv instance per compile, made only when an entity needs compiling: a model keeps the
// validators of the entities it took over from the model before, so the instances alive are at most
// one per entity, and those of dropped revisions go with them.

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { compileSafeRegex, isBuiltInPattern } from '../kernel/safe-regex.ts';

// Field patterns are an admin's: they run on the linear-time engine like every other pattern (and
// were refused on save when it cannot run them). A field type's own patterns run on the ordinary
// engine, written for it (kernel/safe-regex.ts: builtInPattern). The schemas' own patterns (record ids: `{26}` is
// beyond what the linear engine accepts) are ours and fixed, so they may run on the ordinary one.
function safeRegExpEngine(pattern: string, flags: string): RegExp {
  if (isBuiltInPattern(pattern)) return new RegExp(pattern, flags);
  try {
    return compileSafeRegex(pattern, flags);
  } catch {
    return new RegExp(pattern, flags);
  }
}
const safeRegExp = Object.assign(safeRegExpEngine, { code: 'safeRegExpEngine' });

// No check of each schema against the JSON Schema meta-schema (`validateSchema`): it compiled that
// meta-schema anew for every instance — ~50 ms per compile warm, ~200 ms on a fresh thread (the import's
// map worker) — for schemas that compile/ builds from metadata its own schemas checked. Strict mode
// still refuses what ajv cannot compile; test/metadata/record-schemas-valid.test.ts holds that every
// field type and every template entity compiles to a valid schema.

export function createRecordAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, validateSchema: false, code: { regExp: safeRegExp } });
  addFormats.default(ajv, { keywords: true });
  // Documentation keywords carried in record schemas for forms and API docs.
  ajv.addVocabulary(['x-crm-type', 'x-crm-lookup', 'x-crm-options']);
  return ajv;
}
