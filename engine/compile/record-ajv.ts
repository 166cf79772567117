// One ajv instance per compiled model: validators of one revision are dropped with it, so a
// long-running server that sees many revisions does not accumulate compiled schemas.

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { compileSafeRegex } from '../kernel/safe-regex.ts';

// Field patterns are an admin's: they run on the linear-time engine like every other pattern (and
// were refused on save when it cannot run them). The schemas' own patterns (record ids: `{26}` is
// beyond what the linear engine accepts) are ours and fixed, so they may run on the ordinary one.
function safeRegExpEngine(pattern: string, flags: string): RegExp {
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
