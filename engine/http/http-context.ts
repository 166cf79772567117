// Builds the request context once per request: who is calling (from the authenticator), the
// locale, the clock and the current model — taken once, so a request finishes on its revision.

import type { Request, Response } from 'express';
import type { AccessPolicy, Principal } from '../access/policy.ts';
import type { Clock } from '../kernel/clock.ts';
import { localeFromAcceptLanguage } from '../kernel/i18n.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';

/** Says who sent a request (a session cookie, a bearer token…); throws UNAUTHENTICATED when required and absent. */
export type Authenticator = (req: Request) => Promise<Principal>;

export interface ContextDeps {
  runtime: ModelRuntime;
  clock: Clock;
  policy: AccessPolicy;
  authenticate: Authenticator;
}

export async function contextFor(req: Request, res: Response, deps: ContextDeps): Promise<RequestContext> {
  const existing = res.locals['crmContext'] as RequestContext | undefined;
  if (existing) return existing;
  const principal = await deps.authenticate(req);
  const refreshing = deps.runtime.refreshIfStale();
  if (refreshing) await refreshing;
  const ctx: RequestContext = Object.freeze({
    principal,
    locale: localeFromAcceptLanguage(req.headers['accept-language']),
    clock: deps.clock,
    model: deps.runtime.model,
    policy: deps.policy,
  });
  res.locals['crmContext'] = ctx;
  return ctx;
}
