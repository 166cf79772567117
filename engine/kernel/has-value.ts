// What "a field holds a value" means everywhere: a workflow's required fields, a form's requiredWhen,
// the data quality report's completeness, the dry run's count of values a removed field takes away.
// Stored documents never hold null; an empty text or list counts as nothing.

export function hasValue(value: unknown): boolean {
  return !(value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0));
}
