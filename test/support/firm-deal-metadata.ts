// A firm (unique code) and deals that point at it with onDelete: restrict, and the mapping that imports firms by code:
// what the import-undo studio tests import and then refer to, so an undo has a record it may not delete.

export const firm = {
  kind: 'entity', name: 'firm', label: { en: 'Firm', zh: '公司' }, pluralLabel: { en: 'Firms', zh: '公司' }, titleField: 'name',
  fields: { code: { type: 'text', required: true, unique: true, label: { en: 'Code', zh: '编码' } }, name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } },
};
export const deal = {
  kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '交易' }, titleField: 'title',
  fields: { title: { type: 'text', required: true }, firm: { type: 'lookup', to: 'firm', onDelete: 'restrict' } },
};
export const mapping = { name: 'firms', targets: [{ entity: 'firm', key: ['code'], columns: { code: 'code', name: 'name' } }] };
