// The CRM SDK: `createCrmClient` and its types, over the generated types of one instance.
export { createCrmClient, CrmApiError, type ClientOptions, type CrmClient, type Filter, type FieldOperators, type ListQuery, type Page, type RecordsApi, type Versioned, type WriteOptions } from './runtime.ts';
export { entityNames, type Entities, type EntityInputs, type ErrorCode } from './generated/entities.ts';
export type { components, paths } from './generated/schema.ts';
