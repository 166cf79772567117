// What the workflow engine works with, and the contexts it acts in: the user's own, the acting
// context of a transition (the user's id in the audit trail, the engine's authority for the write
// of the state field and setFields), and system mode for triggers (logged).

import { systemPrincipal, type AccessPolicy, type Principal } from '../access/policy.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import type { Clock } from '../kernel/clock.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { UserDirectory } from '../notifications/user-directory.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { Store } from '../store/store-port.ts';
import { log } from '../kernel/log.ts';

export interface WorkflowDeps {
  store: Store;
  records: RecordService;
  runtime: ModelRuntime;
  scheduler: Scheduler;
  directory: UserDirectory;
  mailer: MailService | undefined;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  /** The server's access policy (read when used: the security module sets it at start). */
  policy: () => AccessPolicy;
}

const loggedActing = new Set<string>();

/**
 * The write of a transition the user was allowed to take (checked before, with the user's own
 * context): the engine writes the driven field and setFields values on the user's behalf, so the
 * audit trail names the user. Logged once per user, like every system mode.
 */
export function actingContext(ctx: RequestContext, reason: string): RequestContext {
  const key = `${reason}:${ctx.principal.id}`;
  if (!loggedActing.has(key)) {
    loggedActing.add(key);
    log.info(`[workflow] system mode for ${reason} on behalf of ${ctx.principal.id}`);
  }
  const principal: Principal = { kind: 'system', id: ctx.principal.id, roles: ctx.principal.roles, teams: ctx.principal.teams, admin: true };
  return { ...ctx, principal };
}

export function systemContext(deps: Pick<WorkflowDeps, 'clock' | 'policy'>, model: CompiledModel, reason: string): RequestContext {
  return { principal: systemPrincipal(reason), locale: 'en', clock: deps.clock, model, policy: deps.policy() };
}
