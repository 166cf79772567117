// records/: the record service — create, read, list, update, delete and history of any entity's
// records, interpreted from the compiled model. Every call carries a request context and passes
// the access policy; every write is one store transaction with its audit entry.

import { openPolicy, systemPrincipal, type AccessPolicy, type Principal } from '../access/policy.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Locale } from '../kernel/i18n.ts';

/** Everything one request works with, taken once at its start. */
export interface RequestContext {
  readonly principal: Principal;
  readonly locale: Locale;
  readonly clock: Clock;
  /** The metadata revision this request works on, even if a newer one is swapped in meanwhile. */
  readonly model: CompiledModel;
  readonly policy: AccessPolicy;
}

/**
 * The context for code acting beyond every role (jobs, migrations, dry runs): a system principal,
 * logged once per reason and recorded as `system:reason` in the audit trail, with the open policy.
 */
export function systemContext(args: { reason: string; clock: Clock; model: CompiledModel; locale?: Locale }): RequestContext {
  return { principal: systemPrincipal(args.reason), locale: args.locale ?? 'en', clock: args.clock, model: args.model, policy: openPolicy };
}
