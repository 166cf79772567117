// The template lifecycle over HTTP, admin only: list; install, upgrade, switch a module and
// uninstall, each with `?dryRun=1`. Handlers only parse and check the request; the verbs live in
// TemplateService.

import { Router, type Request, type Response } from 'express';
import { checkQueryParameters, parseBooleanFlag } from '../http/http-helpers.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { publicDetail } from '../kernel/detail-text.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import type { Locale } from '../kernel/i18n.ts';
import type { TemplateService } from './template-service.ts';
import type { SourceRequest } from './template-sources.ts';

const namePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Refuses a body that is not an object, has unknown keys or a key of the wrong type. */
function readBody(req: Request, shape: Record<string, 'boolean' | 'string' | 'strings' | 'source'>): Record<string, unknown> {
  const body: unknown = req.body ?? {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'must be a JSON object' }]);
  const issues: IssueDetail[] = [];
  for (const [key, value] of Object.entries(body)) {
    const type = shape[key];
    const ok =
      type === 'boolean' ? typeof value === 'boolean'
      : type === 'string' ? typeof value === 'string' && value.length > 0 && value.length <= 200
      : type === 'strings' ? Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === 'string')
      : type === 'source' ? isSource(value)
      : false;
    if (!type) issues.push({ path: `/${key}`, message: `is not a known property (known: ${Object.keys(shape).join(', ')})` });
    else if (!ok) issues.push({ path: `/${key}`, message: type === 'source' ? 'must be { "directory": path } or { "archive": path }' : `must be ${type === 'strings' ? 'an array of strings' : `a ${type}`}` });
  }
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
  return body as Record<string, unknown>;
}

function isSource(value: unknown): value is SourceRequest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length === 1 && ['directory', 'archive'].includes(entries[0]![0]) && typeof entries[0]![1] === 'string' && entries[0]![1].length > 0 && entries[0]![1].length <= 4096;
}

/** A step's report with its issues in the caller's language (the engine words them in English). */
function inLocale<T>(report: T, locale: Locale): T {
  const issues = (report as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return report;
  return { ...report, issues: issues.map((issue: { message?: unknown }) => (typeof issue?.message === 'string' ? publicDetail(issue as IssueDetail, locale) : issue)) };
}

function templateName(req: Request): string {
  const name = String(req.params['name']);
  if (!namePattern.test(name) || name.length > 64) throw new CrmError('NOT_FOUND', { en: `No template "${name}"`, zh: `没有模板「${name}」` });
  return name;
}

export function templateRoutes(service: TemplateService, deps: () => ContextDeps): Router {
  const router = Router();
  const admin = async (req: Request, res: Response) => {
    const ctx = await contextFor(req, res, deps());
    ctx.policy.assertAdmin(ctx.principal);
    return ctx;
  };

  router.get('/', async (req, res) => {
    await admin(req, res);
    checkQueryParameters(req, []);
    res.json(await service.list());
  });

  // A template package uploaded as a .tgz (the raw body, streamed to disk; app.ts lets it through unparsed).
  router.post('/uploads', async (req, res) => {
    await admin(req, res);
    checkQueryParameters(req, []);
    res.status(201).json(await service.upload(req));
  });

  router.get('/:name', async (req, res) => {
    await admin(req, res);
    checkQueryParameters(req, []);
    res.json(await service.get(templateName(req)));
  });

  router.post('/:name/install', async (req, res) => {
    const ctx = await admin(req, res);
    const q = checkQueryParameters(req, ['dryRun']);
    const body = readBody(req, { sampleData: 'boolean', modules: 'strings', source: 'source', version: 'string' });
    const report = await service.install(templateName(req), {
      dryRun: parseBooleanFlag(q['dryRun'], 'dryRun'), by: ctx.principal.id,
      ...(body['sampleData'] !== undefined ? { sampleData: body['sampleData'] as boolean } : {}),
      ...(body['modules'] !== undefined ? { modules: body['modules'] as string[] } : {}),
      ...(body['source'] !== undefined ? { source: body['source'] as SourceRequest } : {}),
      ...(body['version'] !== undefined ? { version: body['version'] as string } : {}),
    });
    res.status(report.applied ? 201 : 200).json(inLocale(report, ctx.locale));
  });

  router.post('/:name/upgrade', async (req, res) => {
    const ctx = await admin(req, res);
    const q = checkQueryParameters(req, ['dryRun']);
    const body = readBody(req, { sampleData: 'boolean', source: 'source', version: 'string' });
    res.json(inLocale(
      await service.upgrade(templateName(req), {
        dryRun: parseBooleanFlag(q['dryRun'], 'dryRun'), by: ctx.principal.id,
        ...(body['sampleData'] !== undefined ? { sampleData: body['sampleData'] as boolean } : {}),
        ...(body['source'] !== undefined ? { source: body['source'] as SourceRequest } : {}),
        ...(body['version'] !== undefined ? { version: body['version'] as string } : {}),
      }),
    ctx.locale));
  });

  router.post('/:name/modules/:module', async (req, res) => {
    const ctx = await admin(req, res);
    const q = checkQueryParameters(req, ['dryRun']);
    const body = readBody(req, { enabled: 'boolean', sampleData: 'boolean' });
    if (body['enabled'] === undefined) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/enabled', message: 'is required: true or false' }]);
    res.json(inLocale(
      await service.setModule(templateName(req), String(req.params['module']), {
        enabled: body['enabled'] as boolean, dryRun: parseBooleanFlag(q['dryRun'], 'dryRun'), by: ctx.principal.id,
        ...(body['sampleData'] !== undefined ? { sampleData: body['sampleData'] as boolean } : {}),
      }),
    ctx.locale));
  });

  router.delete('/:name', async (req, res) => {
    const ctx = await admin(req, res);
    const q = checkQueryParameters(req, ['dryRun', 'deleteData']);
    res.json(inLocale(await service.uninstall(templateName(req), { dryRun: parseBooleanFlag(q['dryRun'], 'dryRun'), deleteData: parseBooleanFlag(q['deleteData'], 'deleteData'), by: ctx.principal.id }), ctx.locale));
  });

  return router;
}
