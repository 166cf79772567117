// http/request-id: every request gets an id — the caller's `X-Request-Id` when it is sane (1–128
// characters of letters, digits and `._:-`), else a new one — echoed in the response header, on
// every log line written while serving it, and as `requestId` in an error body.

import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { log, logEnabled, runInRequest } from '../kernel/log.ts';

const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of the request `res` answers. */
export function requestIdOf(res: Response): string | undefined {
  return res.locals['requestId'] as string | undefined;
}

export const assignRequestId: RequestHandler = (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && saneRequestId.test(incoming) ? incoming : randomUUID();
  res.locals['requestId'] = id;
  res.setHeader('X-Request-Id', id);
  // The access log, at debug level (CRM_LOG_LEVEL=debug): method, path without its query, status, time.
  if (logEnabled('debug')) {
    const started = process.hrtime.bigint();
    res.once('finish', () => runInRequest(id, () => log.event('debug', { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10 }, 'request')));
  }
  runInRequest(id, next);
};

/**
 * Enters the request's scope again: a body parser resumes in the socket's async context, not the
 * request's, so the middleware after it re-enters.
 */
export const reenterRequest: RequestHandler = (_req, res, next) => {
  const id = requestIdOf(res);
  if (id === undefined) next();
  else runInRequest(id, next);
};
