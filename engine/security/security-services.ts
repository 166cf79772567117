// What the security routes share: the store, the clock, the live model's roles, the sign-in
// limiter, and the context deps that build each request's context like every other route.

import type { Request, Response } from 'express';
import type { AccessPolicy } from '../access/policy.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import type { Clock } from '../kernel/clock.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { Store } from '../store/store-port.ts';
import type { SignInLimiter } from './sign-in-limiter.ts';
import type { Settings } from '../settings/settings.ts';

export interface SecurityServices {
  store: Store;
  clock: Clock;
  runtime: ModelRuntime;
  records: RecordService;
  policy: AccessPolicy;
  limiter: SignInLimiter;
  contextDeps: ContextDeps;
  settings: Settings;
}

export function requestContext(services: SecurityServices, req: Request, res: Response): Promise<RequestContext> {
  return contextFor(req, res, services.contextDeps);
}

export async function adminContext(services: SecurityServices, req: Request, res: Response): Promise<RequestContext> {
  const ctx = await requestContext(services, req, res);
  ctx.policy.assertAdmin(ctx.principal);
  return ctx;
}

/** Cookies get `Secure` behind TLS, or always when CRM_SECURE_COOKIES=1. */
export function secureCookies(services: SecurityServices, req: Request): boolean {
  return req.secure || services.settings.secureCookies;
}

/** The caller's address for throttling (the socket's; set `trust proxy` in front of a proxy). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
