// Over HTTP, admin only, beside the generic metadata routes: the configuration bundle — GET exports
// it, POST imports one (`?dryRun=1` reports and changes nothing) — and the admin's overlays over
// template items. The bundle may be larger than other JSON bodies (app.ts parses it with its own limit).

import { Router, type Request, type Response } from 'express';
import { checkQueryParameters, parseBooleanFlag, parsePositiveInteger } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { publicDetail } from '../kernel/detail-text.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { Store } from '../store/store-port.ts';
import { listAdminOverlays } from './admin-overlays.ts';
import { checkBundle, exportConfiguration, importConfiguration } from './configuration-bundle.ts';

export function configurationRoutes(args: { store: Store; runtime: ModelRuntime; deps: () => ContextDeps }): Router {
  const router = Router();
  const admin = async (req: Request, res: Response) => {
    const ctx = await contextFor(req, res, args.deps());
    ctx.policy.assertAdmin(ctx.principal);
    return ctx;
  };

  router.get('/bundle', async (req, res) => {
    const ctx = await admin(req, res);
    checkQueryParameters(req, []);
    const bundle = await exportConfiguration({ store: args.store, runtime: args.runtime, clock: ctx.clock });
    const stamp = bundle.exportedAt.replace(/[:.]/g, '-');
    res.setHeader('Content-Disposition', `attachment; filename="crm-configuration-r${bundle.revision}-${stamp}.json"`);
    res.json(bundle);
  });

  router.post('/bundle', async (req, res) => {
    const ctx = await admin(req, res);
    const q = checkQueryParameters(req, ['dryRun', 'baseRevision']);
    const dryRun = parseBooleanFlag(q['dryRun'], 'dryRun');
    // A real import applies what its dry run showed: the revision that dry run was made against.
    const baseRevision = dryRun || q['baseRevision'] === undefined ? undefined : q['baseRevision'] === '0' ? 0 : parsePositiveInteger(q['baseRevision'], 'baseRevision', 1e9);
    if (!dryRun && baseRevision === undefined) {
      throw new CrmError('BAD_REQUEST', { en: 'Say which dry run this import applies: baseRevision', zh: '请用 baseRevision 指明本次导入对应的试运行' }, [{ path: '/query/baseRevision', message: 'is required without dryRun: the baseRevision of the dry run shown' }]);
    }
    const bundle = checkBundle(req.body);
    if (baseRevision !== undefined && baseRevision !== args.runtime.model.revision) {
      throw new CrmError('CONFLICT', { en: `The metadata changed since the dry run (now revision ${args.runtime.model.revision}): run it again`, zh: `试运行后元数据已变更（当前版本 ${args.runtime.model.revision}），请重新试运行` });
    }
    const report = await importConfiguration({ store: args.store, runtime: args.runtime, clock: ctx.clock }, bundle, { dryRun, by: ctx.principal.id });
    res.json({ ...report, issues: report.issues.map((issue) => publicDetail(issue, ctx.locale)) });
  });

  router.get('/overlays', async (req, res) => {
    await admin(req, res);
    checkQueryParameters(req, []);
    res.json(await listAdminOverlays(args.runtime));
  });

  return router;
}
