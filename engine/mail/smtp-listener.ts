// The inbound SMTP listener (smtp-server), on CRM_MAIL_LISTEN (host:port; port 0 picks a free
// one): a recipient is accepted only when a mail channel names its address; a message is
// acknowledged (250) only after its interaction committed — a store failure answers 451 so that
// the sending server tries again, a message the channel's map or the entity refuses answers 550.

import type { AddressInfo } from 'node:net';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { CrmError } from '../kernel/errors.ts';
import { log } from '../kernel/log.ts';
import { mailChannelsOf } from './compile-mail-channels.ts';
import { receiveMail, type ReceiveDeps, type ReceiveOutcome } from './receive-mail.ts';

export interface MailListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

const smtpError = (message: string, responseCode: number): Error & { responseCode: number } => Object.assign(new Error(message), { responseCode });

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startMailListener(deps: ReceiveDeps, address: { host: string; port: number }, onReceived?: (outcomes: ReceiveOutcome[]) => void): Promise<MailListener> {
  // Loaded when a listener starts (CRM_MAIL_LISTEN): no start-up cost for servers without one.
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    banner: 'CRM mail channel',
    // The schema's largest maxBytes: each channel's own limit is checked once the message is in.
    size: 100 * 1024 * 1024,
    onRcptTo(recipient, _session: SMTPServerSession, callback) {
      const channel = mailChannelsOf(deps.runtime.model).get(recipient.address.toLowerCase());
      if (!channel) return callback(smtpError(`5.1.1 <${recipient.address}>: no mail channel here`, 550));
      callback();
    },
    onData(stream, session, callback) {
      void (async () => {
        const raw = await readStream(stream);
        if (stream.sizeExceeded) throw smtpError('5.3.4 Message too big', 552);
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const limit = Math.min(...recipients.map((r) => mailChannelsOf(deps.runtime.model).get(r.toLowerCase())?.maxBytes ?? Infinity));
        if (raw.length > limit) throw smtpError('5.3.4 Message too big for its channel', 552);
        const outcomes = await receiveMail(deps, { raw, recipients });
        onReceived?.(outcomes);
      })().then(
        () => callback(),
        (error: unknown) => {
          if (error instanceof Error && 'responseCode' in error) return callback(error);
          log.warn('[mail] message refused:', (error as Error).message);
          // The message itself cannot land (the map or the entity refuse it): retrying will not help.
          if (error instanceof CrmError && error.status < 500) return callback(smtpError(`5.6.0 ${error.message}`, 550));
          callback(smtpError('4.3.0 Temporary failure, try again later', 451));
        },
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  server.on('error', (error) => log.warn('[mail] listener:', error.message));
  const bound = server.server.address() as AddressInfo;
  return { host: address.host, port: bound.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
