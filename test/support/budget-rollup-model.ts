// A budget whose rule reads a rollup of its expenses ("spent > limit" refused): the model of the
// suites about rules over rollups, through the API and through imports.

export const budgetRollupModel = [
  {
    kind: 'entity', name: 'budget', label: 'Budget',
    fields: {
      name: { type: 'text', required: true },
      limit: { type: 'currency', required: true },
      spent: { type: 'rollup', from: 'expense', via: 'budget', op: 'sum', field: 'amount' },
    },
    rules: { overspent: { when: 'spent > limit', message: { en: 'The budget would be overspent', zh: '预算将超支' } } },
  },
  { kind: 'entity', name: 'expense', label: 'Expense', fields: { budget: { type: 'lookup', to: 'budget' }, amount: { type: 'currency', required: true } } },
];
