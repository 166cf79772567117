// mail/: e-mail in and out. This file: the one outgoing mail service every module sends through
// (workflow notifications, scheduled reports, …) — SMTP with nodemailer, configured by SMTP_URL
// (e.g. smtp://user:pass@host:587) and SMTP_FROM. Without SMTP_URL there is no mail service:
// `mailServiceFor(services)` answers undefined and callers keep to the inbox.

import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { EngineServices } from '../capability/engine-module.ts';
import type { Settings } from '../settings/settings.ts';

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType?: string;
}

/** One message to send; `text` is required so that every client can read it. */
export interface OutgoingMail {
  to: string | string[];
  cc?: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** Where replies should go (an inbound mail channel's address, so a reply comes back to the CRM). */
  replyTo?: string;
  /** Our own Message-ID (`<…@domain>`, from `newMessageId()`); nodemailer makes one when omitted. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface MailService {
  /** The From address (SMTP_FROM, or `CRM <crm@localhost>`). */
  readonly from: string;
  /** A fresh Message-ID in the sender's domain: record it to recognise replies (mail-threads.ts). */
  newMessageId(): string;
  /** Sends; rejects when the server refuses the message or every recipient. */
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

const addressOf = (value: unknown): string => (typeof value === 'string' ? value : ((value as { address?: string } | undefined)?.address ?? ''));

export function createMailService(settings: Pick<Settings, 'smtpUrl' | 'smtpFrom'>): MailService | undefined {
  const url = settings.smtpUrl;
  if (!url) return undefined;
  const transport = nodemailer.createTransport(url);
  const from = settings.smtpFrom;
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return {
    from,
    newMessageId: () => `<crm.${Date.now().toString(36)}.${randomBytes(9).toString('base64url')}@${domain}>`,
    async send(mail) {
      const info = await transport.sendMail({
        from,
        to: mail.to,
        ...(mail.cc ? { cc: mail.cc } : {}),
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references ? { references: mail.references } : {}),
      });
      return { messageId: String(info.messageId), accepted: (info.accepted ?? []).map(addressOf), rejected: (info.rejected ?? []).map(addressOf) };
    },
    close: () => transport.close(),
  };
}

const services = new WeakMap<object, MailService | null>();

/**
 * The server's mail service (one per running server, made from its environment on first use), or
 * undefined when SMTP_URL is not set. Any module may call it; the mail module closes it on stop.
 */
export function mailServiceFor(engine: Pick<EngineServices, 'settings'>): MailService | undefined {
  if (!services.has(engine)) services.set(engine, createMailService(engine.settings) ?? null);
  return services.get(engine) ?? undefined;
}

/** Closes the server's mail service if one was made (the mail module's stop). */
export function closeMailService(engine: object): void {
  services.get(engine)?.close();
  services.delete(engine);
}
