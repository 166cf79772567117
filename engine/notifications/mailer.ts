// E-mail through SMTP with nodemailer, configured by SMTP_URL (e.g. smtp://user:pass@host:587)
// and SMTP_FROM. Without SMTP_URL there is no mailer and notifications go to the inbox only.

import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(env: Readonly<Record<string, string | undefined>>): Mailer | undefined {
  const url = env['SMTP_URL'];
  if (!url) return undefined;
  const transport = nodemailer.createTransport(url);
  const from = env['SMTP_FROM'] ?? 'CRM <crm@localhost>';
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}
