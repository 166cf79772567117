// An entity of the tests' own with a duplicate rule, and records three of which are one supplier
// written three ways: what the merge suites plant.

export const supplier = {
  kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, pluralLabel: { en: 'Suppliers', zh: '供应商' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } },
    email: { type: 'email', label: { en: 'E-mail', zh: '电子邮件' } },
    city: { type: 'text', label: { en: 'City', zh: '城市' } },
  },
  duplicateRules: { sameName: { label: { en: 'Same name', zh: '名称相同' }, match: ['name'], method: 'normalized' } },
};

/** Three ways of writing one supplier (case and spacing, full width) first, then another. */
export const plantedSuppliers = [
  { name: 'Wang Trading', email: 'wang@old.test', city: 'Shanghai' },
  { name: 'WANG   TRADING', email: 'sales@wang-trading-company.example.com' },
  { name: 'Ｗａｎｇ Ｔｒａｄｉｎｇ', city: 'Beijing' },
  { name: 'Li Metals', email: 'li@metals.test', city: 'Shenzhen' },
];
