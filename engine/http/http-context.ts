// Builds the request context once per request: who is calling (from the authenticator), the
// locale, the clock and the current model — taken once, so a request finishes on its revision.

import type { Request, Response } from 'express';
import type { AccessPolicy, Principal } from '../access/policy.ts';
import type { Clock } from '../kernel/clock.ts';
import { localeFromAcceptLanguage, type Locale } from '../kernel/i18n.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';

/**
 * Says who sent a request (a session cookie, a bearer token…); throws UNAUTHENTICATED when required
 * and absent. Answers without a promise when it can (kernel/maybe-promise.ts); a refusal may then be
 * thrown rather than rejected.
 */
export type Authenticator = (req: Request) => MaybePromise<Principal>;

export interface ContextDeps {
  runtime: ModelRuntime;
  clock: Clock;
  policy: AccessPolicy;
  authenticate: Authenticator;
}

/** The request's context: a promise, whatever the authenticator does (see contextNow for the hot routes). */
export async function contextFor(req: Request, res: Response, deps: ContextDeps): Promise<RequestContext> {
  return contextNow(req, res, deps);
}

/**
 * The request's context, without a promise when the authenticator answers at once and the model is
 * current; a refusal is then thrown at once. For handlers that take both (a get by id, a list).
 */
export function contextNow(req: Request, res: Response, deps: ContextDeps): MaybePromise<RequestContext> {
  const existing = res.locals['crmContext'] as RequestContext | undefined;
  if (existing) return existing;
  return after(deps.authenticate(req), (principal) => {
    const refreshing = deps.runtime.refreshIfStale();
    return refreshing ? refreshing.then(() => makeContext(req, res, deps, principal)) : makeContext(req, res, deps, principal);
  });
}

const localeByHeader = new Map<string, Locale>();

/** A browser sends the same Accept-Language with every request: ranked once per distinct header. */
function localeOf(header: string | undefined): Locale {
  if (header === undefined) return 'en';
  let locale = localeByHeader.get(header);
  if (locale === undefined) {
    if (localeByHeader.size >= 256) localeByHeader.clear();
    locale = localeFromAcceptLanguage(header);
    localeByHeader.set(header, locale);
  }
  return locale;
}

/** Outside contextNow, so that no function is made for it per request. */
function makeContext(req: Request, res: Response, deps: ContextDeps, principal: Principal): RequestContext {
  const ctx: RequestContext = Object.freeze({
    principal,
    locale: localeOf(req.headers['accept-language']),
    clock: deps.clock,
    model: deps.runtime.model,
    policy: deps.policy,
  });
  res.locals['crmContext'] = ctx;
  return ctx;
}
