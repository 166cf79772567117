// records/: the record service — create, read, list, update, delete and history of any entity's
// records, interpreted from the compiled model. Every call carries a request context and passes
// the access policy; every write is one store transaction with its audit entry.

import type { AccessPolicy, Principal } from '../access/policy.ts';
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
