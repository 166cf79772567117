// E-mail in and out over real SMTP on localhost: a message sent by nodemailer to the server's
// listener becomes an interaction on the contact its sender is, its attachments stored as files
// only readers of the interaction get; a case's notification goes out in each recipient's language
// (en/zh) with our Message-ID and the channel's Reply-To, and a reply to it lands on that case
// (a reply to the reply too); a redelivered message lands once; mail for an address no channel
// has is refused by the listener; a channel naming an entity that does not exist is refused.

import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMailListener } from '../../engine/mail/mail-module.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { startSmtpSink, type ReceivedMail } from '../workflow/support/local-receivers.ts';

const channel = {
  kind: 'mailChannel', name: 'support', label: { en: 'Support mailbox', zh: '客服邮箱' }, address: 'Support@CRM.test', role: 'mailIntake', replyTo: true,
  contact: { entity: 'contact', field: 'email' },
  interaction: { entity: 'interaction', map: "{ 'subject': subject, 'body': text, 'fromAddress': from, 'contact': contact ? contact, 'supportCase': thread.entity = 'supportCase' ? thread.id, 'direction': 'inbound' }" },
};

const metadata = [
  { kind: 'entity', name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true }, email: { type: 'email' } } },
  { kind: 'entity', name: 'supportCase', label: 'Case', titleField: 'subject', fields: { subject: { type: 'text', required: true }, status: { type: 'picklist', options: { new: { label: 'New' }, open: { label: 'Open' } } } } },
  {
    kind: 'entity', name: 'interaction', label: 'Interaction',
    fields: {
      subject: { type: 'text', maxLength: 500 }, body: { type: 'textarea', maxLength: 100000 }, fromAddress: { type: 'email' }, contact: { type: 'lookup', to: 'contact' },
      supportCase: { type: 'lookup', to: 'supportCase' }, direction: { type: 'picklist', options: { inbound: { label: 'In' }, outbound: { label: 'Out' } } },
    },
  },
  {
    kind: 'workflow', name: 'caseFlow', entity: 'supportCase', field: 'status', label: 'Cases',
    states: { new: { label: 'New', initial: true }, open: { label: 'Open' } }, transitions: { start: { label: 'Start', from: 'new', to: 'open' } },
    triggers: { opened: { on: 'create', actions: ['tellAgents'] } },
    actions: { tellAgents: { type: 'notify', to: { roles: ['agent'] }, subject: { en: 'New case: {{ subject }}', zh: '新工单：{{ subject }}' }, body: { en: 'Reply to this e-mail to add to the case.', zh: '回复此邮件即可补充工单。' } } },
  },
  { kind: 'role', name: 'mailIntake', label: 'Mail intake', permissions: { contact: { read: 'all' }, supportCase: { read: 'all' }, interaction: { create: true, read: 'all' } } },
  { kind: 'role', name: 'agent', label: 'Agent', permissions: { contact: { read: 'all' }, supportCase: { create: true, read: 'all', update: 'all' }, interaction: { read: 'own' } } },
  { kind: 'role', name: 'outsider', label: 'Outsider', permissions: { contact: { read: 'all' } } },
  channel,
];

let t: TestServer;
let smtp: { url: string; messages: ReceivedMail[]; close(): Promise<void> };
let send: ReturnType<typeof nodemailer.createTransport>;
let agent: TestUser;
let outsider: TestUser;
const contacts: Record<string, string> = {};

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await startTestServer({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'CRM <crm@crm.test>', CRM_MAIL_LISTEN: '127.0.0.1:0' } });
  const applied = await t.post('/api/meta/apply', metadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  agent = await t.createUser({ roles: ['agent'], email: 'ann.agent@crm.test' });
  const zh = await t.post('/api/users', { email: 'wang.agent@crm.test', password: 'zh-agent-pw-7Kq2-2026', roles: ['agent'], locale: 'zh' });
  expect(zh.status, JSON.stringify(zh.body)).toBe(201);
  expect(zh.body.locale).toBe('zh');
  outsider = await t.createUser({ roles: ['outsider'] });
  for (const [name, email] of [['Li Wei', 'li.wei@example.cn'], ['Ana Souza', 'ana@example.br'], ['Li Wei (old)', 'li.wei@old.example.cn']]) {
    contacts[email!] = (await t.post('/api/data/contact', { name, email })).body.id;
  }
  const listener = findMailListener(t.server.services);
  expect(listener).toBeDefined();
  send = nodemailer.createTransport({ host: '127.0.0.1', port: listener!.port, secure: false, ignoreTLS: true });
});

afterAll(async () => {
  send?.close();
  await t?.close();
  await smtp?.close();
});

const interactions = async (filter: Record<string, unknown>) => (await t.get(`/api/data/interaction?sort=createdAt&filter=${encodeURIComponent(JSON.stringify(filter))}`)).body.items as Record<string, unknown>[];

describe('e-mail in', () => {
  it('an e-mail sent by nodemailer to the listener becomes an interaction on the right contact, its attachments stored as files', async () => {
    const pdf = Buffer.from('%PDF-1.4 invoice 2026-0042\n');
    const photo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const info = await send.sendMail({
      from: '"Li Wei" <Li.Wei@Example.CN>', to: 'support@crm.test', subject: '发票问题 / invoice question',
      text: 'The invoice total is wrong.\n发票金额不对。', attachments: [{ filename: 'invoice-2026.pdf', content: pdf, contentType: 'application/pdf' }, { filename: '照片.png', content: photo, contentType: 'image/png' }],
    });
    expect(info.accepted).toEqual(['support@crm.test']);
    // The listener answered 250 only after the interaction committed: it is there now.
    const [mail, ...more] = await interactions({ contact: contacts['li.wei@example.cn'] });
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ subject: '发票问题 / invoice question', fromAddress: 'li.wei@example.cn', direction: 'inbound' });
    expect(String(mail!['body'])).toContain('发票金额不对。');
    expect(mail!['supportCase']).toBeUndefined();
    expect(await interactions({ contact: contacts['li.wei@old.example.cn'] })).toHaveLength(0);

    const files = await t.get(`/api/files?entity=interaction&recordId=${String(mail!['id'])}`);
    expect(files.status).toBe(200);
    expect(files.body.items.map((f: { name: string; contentType: string; size: number }) => [f.name, f.contentType, f.size])).toEqual([['invoice-2026.pdf', 'application/pdf', pdf.length], ['照片.png', 'image/png', photo.length]]);
    const download = await fetch(`${t.url}/api/files/${files.body.items[1].id}`, { headers: { authorization: `Bearer ${t.admin!.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(photo);
    // Whoever may not read the interaction gets neither the list nor the bytes.
    expect((await outsider.client.get(`/api/files?entity=interaction&recordId=${String(mail!['id'])}`)).status).toBe(404);
    expect((await outsider.client.get(`/api/files/${files.body.items[0].id}`)).status).toBe(404);
    expect((await t.get('/api/files/not-a-file-id')).status).toBe(404);
    expect((await t.get('/api/files?entity=interaction')).status).toBe(400);
  });

  it('an attachment a browser would run is served as bytes only', async () => {
    await send.sendMail({ from: 'li.wei@example.cn', to: 'support@crm.test', subject: 'page', text: 'see attached', attachments: [{ filename: 'x.html', content: '<script>alert(1)</script>', contentType: 'text/html' }] });
    const [mail] = await interactions({ subject: 'page' });
    const [file] = (await t.get(`/api/files?entity=interaction&recordId=${String(mail!['id'])}`)).body.items;
    expect(file.contentType).toBe('text/html');
    const download = await fetch(`${t.url}/api/files/${file.id}`, { headers: { authorization: `Bearer ${t.admin!.token}` } });
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''x.html");
  });

  it('a sender who is no contact still lands, without a contact', async () => {
    await send.sendMail({ from: 'stranger@nowhere.example', to: 'support@crm.test', subject: 'hello', text: 'who am I' });
    const [mail] = await interactions({ fromAddress: 'stranger@nowhere.example' });
    expect(mail).toMatchObject({ subject: 'hello' });
    expect(mail!['contact']).toBeUndefined();
  });

  it('a case notification goes out in each agent\'s language with the channel as Reply-To; a reply to it lands on that case', async () => {
    const before = smtp.messages.length;
    const created = await agent.client.post('/api/data/supportCase', { subject: 'Printer on fire' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await t.post('/api/scheduler/tick');
    const sent = await Promise.all(smtp.messages.slice(before).map((m) => simpleParser(m.raw)));
    const byRecipient = new Map(sent.map((m) => [(Array.isArray(m.to) ? m.to[0] : m.to)!.value[0]!.address, m]));
    expect(byRecipient.get('ann.agent@crm.test')?.subject).toBe('New case: Printer on fire');
    expect(byRecipient.get('wang.agent@crm.test')?.subject).toBe('新工单：Printer on fire');
    expect(byRecipient.get('wang.agent@crm.test')?.text?.trim()).toBe('回复此邮件即可补充工单。');
    const notice = byRecipient.get('ann.agent@crm.test')!;
    expect(notice.replyTo?.value[0]?.address?.toLowerCase()).toBe('support@crm.test');
    expect(notice.messageId).toMatch(/^<crm\..+@crm\.test>$/);

    // Ann replies from her mail client: the reply names the notification in In-Reply-To and References.
    const reply = await send.sendMail({
      from: 'Ann <ann.agent@crm.test>', to: notice.replyTo!.value[0]!.address!, subject: 'Re: New case: Printer on fire', text: 'Called the customer; extinguisher on its way.',
      inReplyTo: notice.messageId!, references: [notice.messageId!],
    });
    const [onCase, ...others] = await interactions({ supportCase: created.body.id });
    expect(others).toHaveLength(0);
    expect(onCase).toMatchObject({ subject: 'Re: New case: Printer on fire', fromAddress: 'ann.agent@crm.test' });
    // It belongs to whoever owns the case: Ann, who reads only her own interactions, sees it.
    expect((await agent.client.get(`/api/data/interaction/${String(onCase!['id'])}`)).status).toBe(200);

    // The customer answers Ann's reply (References: the notification, then the reply): same case.
    await send.sendMail({
      from: 'ana@example.br', to: 'support@crm.test', subject: 'Re: Re: New case: Printer on fire', text: 'Thanks!',
      inReplyTo: reply.messageId, references: [notice.messageId!, reply.messageId],
    });
    const thread = await interactions({ supportCase: created.body.id });
    expect(thread.map((i) => [i['fromAddress'], i['contact'] ?? null])).toEqual([['ann.agent@crm.test', null], ['ana@example.br', contacts['ana@example.br']]]);

    // A reply to a message the CRM never sent is no reply to a case.
    await send.sendMail({ from: 'ana@example.br', to: 'support@crm.test', subject: 'Re: something else', text: '?', inReplyTo: '<not-ours@elsewhere.example>' });
    const [loose] = await interactions({ subject: 'Re: something else' });
    expect(loose!['supportCase']).toBeUndefined();
  });

  it('a message delivered twice (same Message-ID) lands once', async () => {
    const message = { from: 'ana@example.br', to: 'support@crm.test', subject: 'twice', text: 'sent twice', messageId: '<twice-0001@example.br>' };
    await send.sendMail(message);
    await send.sendMail(message);
    expect(await interactions({ subject: 'twice' })).toHaveLength(1);
  });

  it('mail for an address no channel has is refused at RCPT TO', async () => {
    const refused = await send.sendMail({ from: 'ana@example.br', to: 'nobody@crm.test', subject: 'lost', text: 'x' }).then(() => undefined, (error: { responseCode?: number }) => error);
    expect(refused?.responseCode).toBe(550);
    expect(await interactions({ subject: 'lost' })).toHaveLength(0);
  });

  it('a message larger than its channel allows is refused (552) and lands nowhere', async () => {
    expect((await t.post('/api/meta/apply', [{ ...channel, name: 'tiny', address: 'tiny@crm.test', maxBytes: 2048 }])).status).toBe(200);
    const refused = await send.sendMail({ from: 'ana@example.br', to: 'tiny@crm.test', subject: 'too big', text: 'x'.repeat(4000) }).then(() => undefined, (error: { responseCode?: number }) => error);
    expect(refused?.responseCode).toBe(552);
    await send.sendMail({ from: 'ana@example.br', to: 'tiny@crm.test', subject: 'small enough', text: 'x' });
    expect((await interactions({ subject: { $in: ['too big', 'small enough'] } })).map((i) => i['subject'])).toEqual(['small enough']);
  });

  it('a channel naming an entity that does not exist is refused with its pointer', async () => {
    const bad = await t.post('/api/meta/apply', [{ ...channel, name: 'sales', address: 'sales@crm.test', interaction: { entity: 'nothing', map: '{}' }, contact: { entity: 'contact', field: 'mail' } }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining([expect.stringMatching(/\/interaction\/entity$/), expect.stringMatching(/\/contact\/field$/)]));
    const taken = await t.post('/api/meta/apply', [{ ...channel, name: 'copy' }]);
    expect(taken.status).toBe(400);
    expect(JSON.stringify(taken.body)).toContain('/address');
  });
});
