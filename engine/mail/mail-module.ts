// Plugs e-mail into the server: the thread collection (attachments are stored files: files/), the inbound SMTP
// listener when CRM_MAIL_LISTEN is set (started after the HTTP server listens, stopped on close),
// and the outgoing mail service's close. Outgoing mail itself: mailServiceFor(services).
//
// Environment: SMTP_URL / SMTP_FROM (outgoing), CRM_MAIL_LISTEN (inbound, host:port).

import { log } from '../kernel/log.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { closeMailService } from './mail-service.ts';
import { mailThreadsCollection } from './mail-threads.ts';
import type { ReceiveDeps } from './receive-mail.ts';
import { startMailListener, type MailListener } from './smtp-listener.ts';

const listeners = new WeakMap<object, MailListener>();

/** The inbound listener a server started (its port, when CRM_MAIL_LISTEN asked for port 0). */
export function findMailListener(services: object): MailListener | undefined {
  return listeners.get(services);
}

export const mailModule: EngineModule = {
  name: 'mail',
  collections: [mailThreadsCollection],
  start(services) {
    const address = services.settings.mailListen;
    const deps: ReceiveDeps = { store: services.store, dataDir: services.dataDir, records: services.records, runtime: services.runtime, clock: services.clock, policy: () => services.policy };
    return {
      async afterListen() {
        if (!address) return;
        const listener = await startMailListener(deps, address);
        listeners.set(services, listener);
        log.info(`[mail] SMTP listener on ${listener.host}:${listener.port}`);
      },
      async stop() {
        await listeners.get(services)?.close();
        listeners.delete(services);
        closeMailService(services);
      },
    };
  },
};
