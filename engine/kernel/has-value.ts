// What "a field holds a value" means everywhere: a workflow's required fields, a form's requiredWhen,
// the data quality report's completeness, the dry run's count of values a removed field takes away.
// Stored documents never hold null; an empty text or list counts as nothing, and so does an object
// whose parts hold nothing (an address saved with every part blank is no address).

export function hasValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.values(value).some(hasValue);
  return true;
}
