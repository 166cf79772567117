// What the duplicate-rule suites share: a supplier entity whose fuzzy rule warns on names alike, and
// the records a write's X-CRM-Duplicates header names per rule.

export const fuzzySupplier = {
  kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, titleField: 'name',
  fields: { name: { type: 'text', required: true } },
  duplicateRules: { alike: { match: ['name'], method: 'fuzzy', action: 'warn' } },
};

export const duplicatesOf = (headers: Headers) => JSON.parse(headers.get('x-crm-duplicates') ?? '[]') as { rule: string; ids: string[] }[];
