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

export function createRecordAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, code: { regExp: safeRegExp } });
  addFormats.default(ajv, { keywords: true });
  // Documentation keywords carried in record schemas for forms and API docs.
  ajv.addVocabulary(['x-crm-type', 'x-crm-lookup', 'x-crm-options']);
  return ajv;
}
