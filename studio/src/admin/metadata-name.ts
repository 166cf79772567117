// The pattern of a metadata name (entity, field, view, dashboard, workflow, rule, index), read from
// the metadata language's own schema (schemas/common.schema.json): the designers refuse a name
// exactly when the engine would.

import commonSchema from '../../../schemas/common.schema.json';

export const metadataName = new RegExp(commonSchema.$defs.identifier.pattern);
