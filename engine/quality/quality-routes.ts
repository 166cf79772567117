// /api/quality over HTTP: the duplicate scan of an entity (clusters with scores), merging records
// and undoing a merge, and the data quality report. Only records the caller may read take part.

import { Router, type Request, type Response } from 'express';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters, parseBooleanFlag, parsePositiveInteger } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import type { RecordEvents } from '../records/record-events.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { Store } from '../store/store-port.ts';
import { findDuplicateClusters } from './find-duplicate-clusters.ts';
import { checkBulkMergeRequest, checkMergeRequest, mergeGroups, mergeRecords, rehearseMerge, undoMerge, undoMergeBatch, type MergeRequest, type MergeSummary } from './merge-records.ts';
import { qualityReport } from './quality-cache.ts';
import { defaultStaleDays, readableDuplicateRules } from './quality-report.ts';
import { checkCleanseRequest, cleansableFields, loadCleanseJob, presentCleanseJob } from './cleanse-records.ts';
import { undoCleanseJob } from './cleanse-undo.ts';
import type { CleanseRunner } from './cleanse-runner.ts';

function readableEntity(ctx: RequestContext, name: string) {
  const entity = getEntityOrThrow(ctx, name);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  return entity;
}

/**
 * A merge's summary as the caller may see it: referencing records of entities they may not read are
 * re-pointed all the same, but counted together, not named by entity and field.
 */
function readableSummary(ctx: RequestContext, summary: MergeSummary): MergeSummary & { unlisted: number } {
  let unlisted = 0;
  const repointed = summary.repointed.filter((r) => {
    const source = ctx.model.entities.get(r.entity);
    try {
      if (source) ctx.policy.assertEntityAction(ctx.principal, source, 'read');
      return source !== undefined;
    } catch {
      unlisted += r.count;
      return false;
    }
  });
  return { ...summary, repointed, unlisted };
}

export function qualityRoutes(store: Store, events: () => RecordEvents, deps: () => ContextDeps, cleansing: CleanseRunner): Router {
  const router = Router();
  const context = (req: Request, res: Response) => contextFor(req, res, deps());

  router.get('/:entity/duplicates', async (req, res) => {
    const ctx = await context(req, res);
    const { rule } = checkQueryParameters(req, ['rule']);
    const entity = readableEntity(ctx, String(req.params['entity']));
    // A cluster of a rule over a field hidden from the caller would tell which records share its value.
    const known = readableDuplicateRules(ctx, entity);
    const rules = rule === undefined ? known : known.filter((r) => r.name === rule);
    if (rule !== undefined && rules.length === 0) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/query/rule', message: localize({ en: `is not a duplicate rule of ${entity.name} (${known.map((r) => r.name).join(', ') || 'it has none'})`, zh: `不是 ${entity.name} 的重复规则（${known.map((r) => r.name).join('、') || '没有重复规则'}）` }, ctx.locale) }]);
    const items = await findDuplicateClusters({ reader: store, entity, rules, scope: ctx.policy.scopeFilter(ctx.principal, entity, 'read'), locale: ctx.locale });
    res.json({ items });
  });

  router.post('/:entity/merge', async (req, res) => {
    const ctx = await context(req, res);
    const query = checkQueryParameters(req, ['dryRun']);
    const entity = getEntityOrThrow(ctx, String(req.params['entity']));
    const issues = checkMergeRequest(entity, req.body, ctx.locale);
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    const request = req.body as MergeRequest;
    if (parseBooleanFlag(query['dryRun'], 'dryRun')) {
      const { record, summary } = await rehearseMerge({ store, ctx, entity, request });
      res.json({ dryRun: true, record, ...readableSummary(ctx, summary) });
      return;
    }
    const result = await store.transaction((tx) => mergeRecords({ tx, ctx, entity, request, events: events() }));
    await events().publish(result.events);
    res.json({ record: result.record, merge: result.merge, ...readableSummary(ctx, result.summary) });
  });

  router.post('/:entity/merge-groups', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const entity = getEntityOrThrow(ctx, String(req.params['entity']));
    const issues = checkBulkMergeRequest(entity, req.body, ctx.locale);
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    const { batch, results } = await mergeGroups({ store, ctx, entity, groups: (req.body as { groups: MergeRequest[] }).groups, events: events() });
    res.json({ batch, merged: results.filter((r) => 'merge' in r).length, failed: results.filter((r) => 'error' in r).length, results });
  });

  router.post('/merge-batches/:id/undo', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    res.json(await undoMergeBatch({ store, ctx, id: String(req.params['id']), events: events() }));
  });

  router.post('/merges/:id/undo', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const { changedSince, events: undone } = await store.transaction((tx) => undoMerge({ tx, ctx, id: String(req.params['id']), events: events() }));
    await events().publish(undone);
    res.json({ undone: req.params['id'], changedSince });
  });

  router.post('/:entity/cleanse', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const entity = getEntityOrThrow(ctx, String(req.params['entity']));
    ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
    const { request, issues } = checkCleanseRequest(entity, req.body, ctx.locale, cleansableFields(ctx, entity));
    if (!request) throw new CrmError('BAD_REQUEST', undefined, issues);
    // Runs in the background: its progress and report at the Location.
    const { id, job } = await cleansing.start(ctx, entity, request);
    res.status(202).location(`/api/quality/cleanse-jobs/${id}`).json(presentCleanseJob(id, job, ctx.locale));
  });

  router.get('/cleanse-jobs/:id', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const id = String(req.params['id']);
    const loaded = await loadCleanseJob(store, id);
    const entity = loaded ? ctx.model.entities.get(loaded.job.entity) : undefined;
    if (!loaded || !entity || (loaded.job.by !== ctx.principal.id && !ctx.principal.admin)) throw new CrmError('NOT_FOUND', { en: `No cleansing job "${id}"`, zh: `没有清洗任务「${id}」` });
    res.json(presentCleanseJob(id, loaded.job, ctx.locale));
  });

  router.post('/cleanse-jobs/:id/undo', async (req, res) => {
    const ctx = await context(req, res);
    const query = checkQueryParameters(req, ['dryRun']);
    const id = String(req.params['id']);
    const loaded = await loadCleanseJob(store, id);
    if (!loaded || (loaded.job.by !== ctx.principal.id && !ctx.principal.admin)) throw new CrmError('NOT_FOUND', { en: `No cleansing job "${id}"`, zh: `没有清洗任务「${id}」` });
    res.json(await undoCleanseJob({ store, ctx, id, dryRun: parseBooleanFlag(query['dryRun'], 'dryRun'), events: events() }));
  });

  router.get('/:entity/report', async (req, res) => {
    const ctx = await context(req, res);
    const query = checkQueryParameters(req, ['staleDays']);
    const entity = readableEntity(ctx, String(req.params['entity']));
    const staleDays = parsePositiveInteger(query['staleDays'], 'staleDays', 36_500) ?? defaultStaleDays;
    const report = await qualityReport({ reader: store, entity, scope: ctx.policy.scopeFilter(ctx.principal, entity, 'read'), now: ctx.clock.now(), clock: ctx.clock, staleDays, locale: ctx.locale, rules: readableDuplicateRules(ctx, entity), readable: ctx.policy.readableFields(ctx.principal, entity) });
    res.json(report);
  });

  return router;
}
