// http/request-id: every request gets an id — the caller's `X-Request-Id` when it is sane (1–128
// characters of letters, digits and `._:-`), else a new one — echoed in the response header, on
// every log line written while serving it, and as `requestId` in an error body.

import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { log, logEnabled, runInRequest } from '../kernel/log.ts';
import { currentScope, runInScope, type RequestScope } from '../kernel/request-scope.ts';

const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;
const scopeKey = 'crmRequestScope';

/** The id of the request `res` answers. */
export function requestIdOf(res: Response): string | undefined {
  return res.locals['requestId'] as string | undefined;
}

/**
 * Names the request and makes its scope (kernel/request-scope.ts): its id, and its deadline
 * `budgetMs` from arrival (CRM_REQUEST_BUDGET_MS) for the off-loop reads it starts. The caller runs
 * the rest of the request within it (runInScope).
 */
export const requestScopeMaker = (budgetMs: number) => (req: Request, res: Response): RequestScope => {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && saneRequestId.test(incoming) ? incoming : randomUUID();
  const scope: RequestScope = { requestId: id, deadline: performance.now() + budgetMs, budgetMs };
  res.locals['requestId'] = id;
  res.locals[scopeKey] = scope;
  res.setHeader('X-Request-Id', id);
  // The access log, at debug level (CRM_LOG_LEVEL=debug): method, path without its query, status, time.
  if (logEnabled('debug')) {
    const started = process.hrtime.bigint();
    // Taken now: a router mounted further down rewrites req.path to the part below its mount point.
    const path = req.path;
    res.once('finish', () => runInRequest(id, () => log.event('debug', { method: req.method, path, status: res.statusCode, ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10 }, 'request')));
  }
  return scope;
};

/**
 * Enters the request's scope again: a body parser resumes in the socket's async context, not the
 * request's, so the middleware after it re-enters (the same scope: the deadline still runs from arrival).
 */
export const reenterRequest: RequestHandler = (_req, res, next) => {
  const scope = res.locals[scopeKey] as RequestScope | undefined;
  // A request without a body went on synchronously, still inside its scope: nothing to re-enter.
  if (scope === undefined || currentScope() === scope) next();
  else runInScope(scope, next);
};
