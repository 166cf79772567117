// What the subscriptions engine works with.

import type { AccessPolicy, Principal } from '../access/policy.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { Clock } from '../kernel/clock.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { Store } from '../store/store-port.ts';
import type { CompiledSubscription } from './compile-subscriptions.ts';

export interface SubscriptionDeps {
  store: Store;
  runtime: ModelRuntime;
  clock: Clock;
  scheduler: Scheduler;
  env: Readonly<Record<string, string | undefined>>;
  policy: () => AccessPolicy;
  /** Tells administrators of a pause by e-mail too (engine/mail), when SMTP is configured. */
  mail: MailService | undefined;
}

export const pumpJobKind = 'subscriptionPump';

/** The integration role as a caller: what it may read is what leaves the server. */
export function rolePrincipal(subscription: CompiledSubscription): Principal {
  const role = subscription.definition.role;
  return { kind: 'token', id: `subscription:${subscription.name}`, roles: [role], teams: [], admin: role === 'admin' };
}

/** Fields the subscription's role may read on the entity; undefined when it may not read the entity. */
export function readableBy(deps: Pick<SubscriptionDeps, 'policy'>, subscription: CompiledSubscription, entity: CompiledEntity): ReadonlySet<string> | undefined {
  const principal = rolePrincipal(subscription);
  try {
    deps.policy().assertEntityAction(principal, entity, 'read');
    return deps.policy().readableFields(principal, entity);
  } catch {
    return undefined;
  }
}
