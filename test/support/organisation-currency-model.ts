// The deal and line entities both organisation-currency suites (test/api, test/studio) model: amounts
// whose fields name no currency — a currency field, a formula returning currency, a rollup summing one.

export const ocDeal = {
  kind: 'entity', name: 'ocDeal', label: { en: 'Deal', zh: '商机' }, pluralLabel: { en: 'Deals', zh: '商机' }, titleField: 'title',
  fields: {
    title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
    amount: { type: 'currency', label: { en: 'Amount', zh: '金额' } },
    doubled: { type: 'formula', returns: 'currency', expression: 'amount * 2', label: { en: 'Doubled', zh: '双倍' } },
    linesTotal: { type: 'rollup', from: 'ocLine', via: 'deal', op: 'sum', field: 'price', label: { en: 'Lines total', zh: '明细合计' } },
  },
};

export const ocLine = {
  kind: 'entity', name: 'ocLine', label: { en: 'Line', zh: '明细' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, deal: { type: 'lookup', to: 'ocDeal' }, price: { type: 'currency' } },
};
