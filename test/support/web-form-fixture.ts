// A web-to-lead setup an admin could write: a lead entity (with a rule, a field no visitor may set
// and a workflow whose creation trigger notifies sales) and its published form.

export function leadMetadata(options: { rateLimit?: { max: number; windowMinutes: number } } = {}): unknown[] {
  return [
    {
      kind: 'entity',
      name: 'lead',
      label: { en: 'Lead', zh: '线索' },
      pluralLabel: { en: 'Leads', zh: '线索' },
      titleField: 'name',
      fields: {
        name: { type: 'text', label: { en: 'Your name', zh: '您的姓名' }, required: true, maxLength: 120 },
        company: { type: 'text', label: { en: 'Company', zh: '公司' }, maxLength: 160 },
        email: { type: 'email', label: { en: 'E-mail', zh: '电子邮箱' } },
        phone: { type: 'phone', label: { en: 'Phone', zh: '电话' } },
        interest: {
          type: 'picklist',
          label: { en: 'Interested in', zh: '感兴趣的业务' },
          options: { repair: { label: { en: 'Repairs', zh: '维修' } }, contract: { label: { en: 'A service contract', zh: '服务合同' } } },
        },
        seats: { type: 'integer', label: { en: 'Units to cover', zh: '覆盖设备数' }, min: 1 },
        message: { type: 'textarea', label: { en: 'Message', zh: '留言' }, maxLength: 2000 },
        rating: { type: 'picklist', label: { en: 'Rating', zh: '评级' }, options: { hot: { label: 'Hot' }, cold: { label: 'Cold' } } },
        status: { type: 'picklist', label: { en: 'Status', zh: '状态' }, options: { new: { label: { en: 'New', zh: '新线索' } }, qualified: { label: { en: 'Qualified', zh: '已确认' } } } },
      },
      rules: {
        reachable: { when: "$not($exists(email)) and $not($exists(phone))", message: { en: 'Leave an e-mail or a phone number', zh: '请留下电子邮箱或电话' }, field: 'email' },
      },
    },
    {
      kind: 'workflow',
      name: 'leadFlow',
      entity: 'lead',
      label: { en: 'Lead qualification', zh: '线索确认' },
      field: 'status',
      states: { new: { label: 'New', order: 10, initial: true }, qualified: { label: 'Qualified', order: 20, final: true } },
      transitions: { qualify: { label: 'Qualify', from: 'new', to: 'qualified' } },
    },
    {
      kind: 'form',
      name: 'contactUs',
      entity: 'lead',
      label: { en: 'Contact us', zh: '联系我们' },
      publish: {
        title: { en: 'Ask for a service contract', zh: '咨询服务合同' },
        intro: { en: 'Tell us about your equipment; we answer within a working day.', zh: '请介绍您的设备情况，我们将在一个工作日内回复。' },
        thankYou: { en: 'Thank you — we will be in touch shortly.', zh: '谢谢！我们会尽快与您联系。' },
        ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      },
      sections: {
        you: { order: 10, label: { en: 'About you', zh: '您的信息' }, columns: 2, fields: { name: { order: 10 }, company: { order: 20 }, email: { order: 30 }, phone: { order: 40 } } },
        need: {
          order: 20,
          label: { en: 'What you need', zh: '您的需求' },
          fields: { interest: { order: 10, widget: 'radio' }, seats: { order: 20, visibleWhen: "interest = 'contract'", requiredWhen: "interest = 'contract'" }, message: { order: 30 }, status: { order: 40, readOnly: true } },
        },
      },
    },
  ];
}
