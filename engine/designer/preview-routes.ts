// What a view or a dashboard would show before it is saved: the designer sends the document as the
// admin has it now; the server prepares a model with it (not applied) and runs it exactly as the
// saved one would run — a view through the records API's own view path (its filter with $me,
// $today… bound for the caller), a dashboard through analytics' runDashboard. A document that does
// not check answers valid: false with its issues (200: the preview is a question, not a write).

import type { Request, Response, Router } from 'express';
import { runDashboard } from '../analytics/run-dashboard.ts';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { publicDetail } from '../kernel/detail-text.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import type { DashboardDefinition } from '../metadata/generated/metadata.ts';
import type { RequestContext } from '../records/request-context.ts';
import { flattenIssues } from '../runtime/model-runtime.ts';
import type { EngineServices } from '../capability/engine-module.ts';

const bad = (path: string, message: string) => new CrmError('BAD_REQUEST', undefined, [{ path, message }]);

/** The document at `key` of the body, of the given kind, with a name. */
function documentAt(body: unknown, key: string, kind: string): MetadataDocument {
  const doc = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[key] : undefined;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad(`/${key}`, `must be a ${kind} document`);
  const name = (doc as { name?: unknown }).name;
  if (typeof name !== 'string' || name === '') throw bad(`/${key}/name`, `must be the ${kind}'s name`);
  return { ...(doc as MetadataDocument), kind, name };
}

export function addPreviewRoutes(router: Router, engine: EngineServices, adminContext: (req: Request, res: Response) => Promise<RequestContext>): void {
  const prepareOne = (ctx: RequestContext, doc: MetadataDocument) => {
    const prepared = engine.runtime.prepare([{ kind: doc.kind, name: doc.name, document: doc }]);
    const issues = flattenIssues(prepared.issues, true).map((i) => publicDetail(i, ctx.locale));
    return { model: issues.length === 0 ? prepared.model : undefined, issues };
  };

  // A view's first page: { valid, issues, items, total }.
  router.post('/preview/view', async (req, res) => {
    const ctx = await adminContext(req, res);
    checkQueryParameters(req, []);
    const doc = documentAt(req.body, 'view', 'view');
    const limit = (req.body as { limit?: unknown }).limit ?? 10;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 50) throw bad('/limit', 'must be an integer from 1 to 50');
    const { model, issues } = prepareOne(ctx, doc);
    if (!model) {
      res.json({ valid: false, issues, items: [] });
      return;
    }
    const entity = String(doc['entity']);
    // A board has no columns: its cards' fields (title, the grouping field, the card fields) are asked for.
    const kanban = doc['kanban'] as { groupBy?: string; cardFields?: string[] } | undefined;
    const title = model.entities.get(entity)?.definition.titleField;
    const fields = doc['type'] === 'kanban' && kanban?.groupBy ? [...new Set([...(title ? [title] : []), kanban.groupBy, ...(kanban.cardFields ?? [])])] : undefined;
    const page = await engine.records.list({ ...ctx, model }, entity, { view: doc.name, limit, total: true, ...(fields ? { fields } : {}) });
    res.json({ valid: true, issues: [], items: page.items, total: page.total ?? page.items.length });
  });

  // Every widget's figures, as GET /api/dashboards/{name} answers them (without dashboard filters set).
  router.post('/preview/dashboard', async (req, res) => {
    const ctx = await adminContext(req, res);
    checkQueryParameters(req, []);
    const doc = documentAt(req.body, 'dashboard', 'dashboard');
    const { model, issues } = prepareOne(ctx, doc);
    if (!model) {
      res.json({ valid: false, issues, widgets: {} });
      return;
    }
    const dashboard = model.set.get('dashboard', doc.name) as unknown as DashboardDefinition;
    const answer = await runDashboard({ store: engine.store, ctx: { ...ctx, model }, dashboard, values: {}, timeZone: engine.settings.timeZone });
    res.json({ valid: true, issues: [], ...answer });
  });
}
