// Metadata for the quote-approval acceptance test: accounts, quotes with a discount, roles for
// sales reps, managers and finance, and a workflow whose approval needs a manager above 10 % and
// finance too above 30 %.

export const roles = [
  { kind: 'role', name: 'salesRep', label: 'Sales rep', permissions: { account: { create: true, read: 'all', update: 'all' }, quote: { create: true, read: 'all', update: 'own' } } },
  { kind: 'role', name: 'salesManager', label: 'Sales manager', permissions: { account: { read: 'all' }, quote: { read: 'all', update: 'all' } } },
  { kind: 'role', name: 'finance', label: 'Finance', permissions: { account: { read: 'all' }, quote: { read: 'all' } } },
  { kind: 'role', name: 'serviceAgent', label: 'Service agent', permissions: { quote: { read: 'all', update: 'all' } } },
];

export const account = { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text', required: true } } };

export const quote = {
  kind: 'entity',
  name: 'quote',
  label: 'Quote',
  fields: {
    number: { type: 'autonumber', prefix: 'Q-', digits: 5 },
    account: { type: 'lookup', to: 'account', required: true },
    status: { type: 'picklist', options: { draft: { label: 'Draft' }, approved: { label: 'Approved' }, sent: { label: 'Sent' }, declined: { label: 'Declined' } } },
    listAmount: { type: 'currency', min: 0, required: true },
    discount: { type: 'percent', min: 0, max: 60, default: 0 },
    approvedNote: { type: 'text' },
    validUntil: { type: 'date' },
  },
};

export const quoteApproval = {
  kind: 'workflow',
  name: 'quoteApproval',
  entity: 'quote',
  label: { en: 'Quote approval', zh: '报价审批' },
  field: 'status',
  states: {
    draft: { label: 'Draft', initial: true },
    approved: { label: 'Approved' },
    sent: { label: 'Sent' },
    declined: { label: 'Declined', final: true },
  },
  transitions: {
    submit: {
      label: 'Submit for approval',
      from: 'draft',
      to: 'approved',
      guard: 'listAmount > 0',
      guardMessage: { en: 'A quote needs an amount', zh: '报价必须有金额' },
      roles: ['salesRep'],
      requiredFields: ['validUntil'],
      actions: ['stamp'],
      approval: {
        when: 'discount > 10',
        steps: {
          manager: { order: 10, label: 'Sales manager', approver: { role: 'salesManager' } },
          finance: { order: 20, label: 'Finance', approver: { role: 'finance' }, when: 'discount > 30' },
        },
        rejectActions: ['tellRep'],
      },
    },
    send: { label: 'Send', from: 'approved', to: 'sent' },
    decline: { label: 'Decline', from: ['approved', 'sent'], to: 'declined', comment: 'required' },
  },
  actions: {
    stamp: { type: 'setFields', values: { approvedNote: "'approved at ' & $string(discount) & '%'" } },
    tellRep: { type: 'notify', to: { fields: ['owner'] }, subject: 'Quote {{ number }} was not approved', channels: ['inbox'] },
  },
};
