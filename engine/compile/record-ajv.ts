// One ajv instance per compiled model: validators of one revision are dropped with it, so a
// long-running server that sees many revisions does not accumulate compiled schemas.

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export function createRecordAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv, { keywords: true });
  // Documentation keywords carried in record schemas for forms and API docs.
  ajv.addVocabulary(['x-crm-type', 'x-crm-lookup', 'x-crm-options']);
  return ajv;
}
