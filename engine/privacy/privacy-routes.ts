// /api/privacy (administrators): `GET /export?email=…` — every record holding the person's data;
// `POST /erase` `{ "email": … }` — anonymize or delete them by entity policy. Neither logs the
// identifier; the erasure's audit entries name fields, never values.

import { Router } from 'express';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { CrmError } from '../kernel/errors.ts';
import { findForbiddenKeys } from '../kernel/forbidden-keys.ts';
import type { Store } from '../store/store-port.ts';
import { eraseSubject } from './erase-subject.ts';
import { exportSubject } from './export-subject.ts';
import { log } from '../kernel/log.ts';

function identifierOf(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 320) {
    throw new CrmError('BAD_REQUEST', undefined, [{ path, message: 'must be the e-mail address (or other subject identifier) of the person' }]);
  }
  return value.trim();
}

export function privacyRoutes(deps: ContextDeps & { store: Store; dataDir?: string; ledgerFile?: string }): Router {
  const router = Router();

  router.get('/export', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    ctx.policy.assertAdmin(ctx.principal);
    const q = checkQueryParameters(req, ['email']);
    const identifier = identifierOf(q['email'], '/query/email');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await exportSubject({ reader: deps.store, model: ctx.model, identifier, now: ctx.clock.now() }));
  });

  router.post('/erase', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    ctx.policy.assertAdmin(ctx.principal);
    checkQueryParameters(req, []);
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'must be a JSON object' }]);
    const forbidden = findForbiddenKeys(body);
    if (forbidden.length > 0) throw new CrmError('BAD_REQUEST', undefined, forbidden);
    const unknown = Object.keys(body).filter((k) => k !== 'email');
    if (unknown.length > 0) throw new CrmError('BAD_REQUEST', undefined, unknown.map((k) => ({ path: `/${k}`, message: 'is not a known property' })));
    const identifier = identifierOf(body['email'], '/email');
    const { erased, uploadsRemoved, uploadsKept } = await eraseSubject({ store: deps.store, model: ctx.model, identifier, by: ctx.principal.id, now: ctx.clock.now(), ...(deps.dataDir ? { dataDir: deps.dataDir } : {}), ...(deps.ledgerFile ? { ledgerFile: deps.ledgerFile } : {}) });
    log.info(`[privacy] erasure by ${ctx.principal.id}: ${erased.length} record(s), ${uploadsRemoved} import upload(s) deleted, ${uploadsKept.length} kept`);
    res.json({ erased, uploadsRemoved, uploadsKept });
  });

  return router;
}
