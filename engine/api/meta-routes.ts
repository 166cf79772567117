// Metadata over HTTP: list, read, put and delete items of each kind; a dry run that reports every
// issue and the records a change would invalidate; revisions with their diffs, and revert.

import { Router, type Request } from 'express';
import { metadataViewer, narrowDocument } from '../access/narrow-metadata.ts';
import { CrmError } from '../kernel/errors.ts';
import { findKindByPlural } from '../kinds/registry.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import { dryRunChange } from '../runtime/dry-run.ts';
import { formLogic } from '../records/form-logic.ts';
import { findUsages } from '../metadata/usages.ts';
import type { FormDefinition } from '../metadata/generated/metadata.ts';
import { flattenIssues, type ModelRuntime, type PreparedChange, type RequestedChange } from '../runtime/model-runtime.ts';
import { checkQueryParameters, parseBooleanFlag, parsePositiveInteger } from '../http/http-helpers.ts';
import { diffJson } from '../metadata/json-diff.ts';
import type { RevisionRecord } from '../metadata/metadata-repository.ts';
import { describeChange, revisionOperation, type RevisionOperation } from '../metadata/revision-operation.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { publicDetail } from '../kernel/detail-text.ts';
import { checkMetadataIfMatch, metadataEtag } from './metadata-etag.ts';

function kindOrThrow(plural: string) {
  const kind = findKindByPlural(plural);
  if (!kind) throw new CrmError('NOT_FOUND', { en: `There is no metadata kind "${plural}"`, zh: `没有元数据类型「${plural}」` });
  return kind;
}

function revisionParameter(req: Request): number {
  const n = String(req.params['n']);
  if (n === '0') return 0;
  return parsePositiveInteger(n, 'n', 1e9) ?? 0;
}

/** Requested changes from a dry-run body: one document, an array, or `{ documents, remove }`. */
function requestedChanges(body: unknown): RequestedChange[] {
  const asChange = (doc: unknown, i: number): RequestedChange => {
    const { kind, name } = (doc ?? {}) as { kind?: unknown; name?: unknown };
    if (typeof kind !== 'string' || typeof name !== 'string') {
      throw new CrmError('INVALID_METADATA', undefined, [{ path: `/documents/${i}`, message: 'needs a kind and a name' }]);
    }
    return { kind, name, document: doc as MetadataDocument };
  };
  if (body && !Array.isArray(body) && typeof body === 'object' && 'documents' in body) {
    const { documents, remove } = body as { documents?: unknown; remove?: unknown };
    // A malformed list is refused, never read as "nothing to change".
    if (!Array.isArray(documents)) throw new CrmError('INVALID_METADATA', undefined, [{ path: '/documents', message: 'must be an array of documents' }]);
    if (remove !== undefined && !Array.isArray(remove)) throw new CrmError('INVALID_METADATA', undefined, [{ path: '/remove', message: 'must be an array of { kind, name }' }]);
    const removals = (remove ?? []).map((r: unknown, i: number): RequestedChange => {
      const { kind, name } = (r ?? {}) as { kind?: unknown; name?: unknown };
      if (typeof kind !== 'string' || typeof name !== 'string') throw new CrmError('INVALID_METADATA', undefined, [{ path: `/remove/${i}`, message: 'needs a kind and a name' }]);
      return { kind, name, document: undefined };
    });
    return once([...documents.map(asChange), ...removals], documents.length);
  }
  return once(Array.isArray(body) ? body.map(asChange) : [asChange(body, 0)], Infinity);
}

/**
 * Each item at most once per request: a second document for the same kind and name (or one both
 * saved and removed) would leave which one counts to the order of the store's writes — it ended
 * in a 409 on the revision's own id.
 */
function once(changes: RequestedChange[], documentCount: number): RequestedChange[] {
  const seen = new Map<string, string>();
  changes.forEach((change, i) => {
    const at = i < documentCount ? `/documents/${i}` : `/remove/${i - documentCount}`;
    const key = `${change.kind}\u0000${change.name}`;
    const first = seen.get(key);
    if (first !== undefined) throw new CrmError('INVALID_METADATA', undefined, [{ path: at, message: `names ${change.kind} "${change.name}" again (first at ${first}): give each item once` }]);
    seen.set(key, at);
  });
  return changes;
}

export function metaRoutes(runtime: ModelRuntime, records: RecordService, deps: ContextDeps): Router {
  const router = Router();
  const adminContext = async (req: Request, res: Parameters<typeof contextFor>[1]) => {
    const ctx = await contextFor(req, res, deps);
    ctx.policy.assertAdmin(ctx.principal);
    return ctx;
  };
  // Issue paths start with /{kind}/{name} unless every issue is in the one document addressed,
  // so that a client always knows which document a pointer refers to.
  const applyOrThrow = async (prepared: PreparedChange, ctx: RequestContext, addressed?: { kind: string; name: string }, operation?: RevisionOperation) => {
    const onlyAddressed = addressed !== undefined && prepared.issues.every((entry) => entry.kind === addressed.kind && entry.name === addressed.name);
    if (prepared.issues.length > 0) throw new CrmError('INVALID_METADATA', undefined, flattenIssues(prepared.issues, !onlyAddressed));
    return runtime.apply(prepared, { by: ctx.principal.id, ...(operation ? { operation } : {}) });
  };
  // A revision as clients show it in their language: its operation as data, each item with its label.
  const described = (r: RevisionRecord) => {
    const operation = revisionOperation(r);
    return { revision: r.revision, at: r.at, by: r.by, message: r.message, ...(operation ? { operation } : {}) };
  };

  router.get('/revisions', async (req, res) => {
    await adminContext(req, res);
    const query = checkQueryParameters(req, ['limit', 'before']);
    const limit = parsePositiveInteger(query['limit'], 'limit', 1000) ?? 1000;
    const before = parsePositiveInteger(query['before'], 'before', Number.MAX_SAFE_INTEGER);
    const page = await runtime.repository.listRevisions({ limit, ...(before !== undefined ? { before } : {}) });
    res.json({ items: page.items.map((r) => ({ ...described(r), changes: r.changes.map(describeChange) })), next: page.next });
  });

  router.get('/revisions/:n/diff', async (req, res) => {
    await adminContext(req, res);
    checkQueryParameters(req, []);
    const revision = await runtime.repository.getRevision(revisionParameter(req));
    if (!revision) throw new CrmError('NOT_FOUND', { en: 'No such revision', zh: '没有该版本' });
    // Each item's change pointer by pointer, beside its whole before and after.
    res.json({ ...described(revision), changes: revision.changes.map((c) => ({ ...c, ...describeChange(c), diff: diffJson(c.before, c.after) })) });
  });

  router.post('/revisions/:n/revert', async (req, res) => {
    const ctx = await adminContext(req, res);
    const q = checkQueryParameters(req, ['dryRun']);
    const target = revisionParameter(req);
    const prepared = await runtime.prepareRevert(target);
    if (parseBooleanFlag(q['dryRun'], 'dryRun')) {
      // The revert's dry run: the one dry run every change gets, with each item's diff.
      const report = await dryRunChange({ runtime, store: records.store, clock: ctx.clock }, prepared, ctx.principal.id);
      res.json({
        ...report,
        issues: report.issues.map((issue) => publicDetail(issue, ctx.locale)),
        changes: prepared.changes.map((c) => ({ ...describeChange(c), diff: diffJson(c.before, c.after) })),
      });
      return;
    }
    const model = await applyOrThrow(prepared, ctx, undefined, { type: 'revert', revision: target });
    res.json({ revision: model.revision, changes: prepared.changes.map(({ kind, name, action }) => ({ kind, name, action })) });
  });

  router.post('/validate', async (req, res) => {
    const ctx = await adminContext(req, res);
    checkQueryParameters(req, []);
    const prepared = runtime.prepare(requestedChanges(req.body));
    const report = await dryRunChange({ runtime, store: records.store, clock: ctx.clock }, prepared, ctx.principal.id);
    // Issues in the caller's language, like the details of an error.
    res.json({ ...report, issues: report.issues.map((issue) => publicDetail(issue, ctx.locale)) });
  });

  // Several documents in one revision — the way to add entities that refer to each other.
  router.post('/apply', async (req, res) => {
    const ctx = await adminContext(req, res);
    checkQueryParameters(req, []);
    const prepared = runtime.prepare(requestedChanges(req.body));
    const model = await applyOrThrow(prepared, ctx);
    res.json({ revision: model.revision, changes: prepared.changes.map(({ kind, name, action }) => ({ kind, name, action })) });
  });

  // Every item that refers to an item, or to one field of an entity: what a delete or a rename touches.
  const usagesOf = async (req: Request, res: Parameters<typeof contextFor>[1]) => {
    const ctx = await adminContext(req, res);
    checkQueryParameters(req, []);
    const kind = kindOrThrow(String(req.params['kind']));
    const name = String(req.params['name']);
    const field = req.params['field'] === undefined ? undefined : String(req.params['field']);
    const doc = ctx.model.set.get(kind.kind, name);
    if (!doc) throw new CrmError('NOT_FOUND', { en: `No ${kind.kind} "${name}"`, zh: `没有 ${kind.kind}「${name}」` });
    if (field !== undefined && (kind.kind !== 'entity' || !Object.hasOwn((doc['fields'] ?? {}) as object, field))) {
      throw new CrmError('NOT_FOUND', { en: `${kind.kind} "${name}" has no field "${field}"`, zh: `${kind.kind}「${name}」没有字段「${field}」` });
    }
    res.json({ revision: ctx.model.revision, target: { kind: kind.kind, name, ...(field !== undefined ? { field } : {}) }, usages: findUsages(ctx.model.set, { kind: kind.kind, name, ...(field !== undefined ? { field } : {}) }) });
  };
  router.get('/usages/:kind/:name', usagesOf);
  router.get('/usages/:kind/:name/:field', usagesOf);

  // Reads are open to every signed-in user, narrowed to what their roles may read (admins see all);
  // an item they may not see is 404, like one that does not exist.
  const visible = (ctx: RequestContext, doc: MetadataDocument): MetadataDocument | undefined => {
    const viewer = metadataViewer({ policy: ctx.policy, principal: ctx.principal, model: ctx.model });
    return narrowDocument(doc, viewer, doc.kind === 'entity' ? doc : ctx.model.set.get('entity', String(doc['entity'])));
  };

  router.get('/:kind', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    const kind = kindOrThrow(req.params.kind);
    const admin = ctx.principal.admin;
    const items = ctx.model.set.list(kind.kind).flatMap((doc) => {
      const definition = visible(ctx, doc);
      if (!definition) return [];
      const item = runtime.findItem(kind.kind, doc.name);
      return [admin ? { name: doc.name, origin: item?.origin, layers: item?.layers, definition } : { name: doc.name, definition }];
    });
    res.json({ revision: ctx.model.revision, items });
  });

  router.get('/:kind/:name', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    const kind = kindOrThrow(req.params.kind);
    const stored = ctx.model.set.get(kind.kind, req.params.name);
    const doc = stored && visible(ctx, stored);
    if (!doc) throw new CrmError('NOT_FOUND', { en: `No ${kind.kind} "${req.params.name}"`, zh: `没有 ${kind.kind}「${req.params.name}」` });
    const origin = runtime.findItem(kind.kind, doc.name)?.origin;
    if (origin && ctx.principal.admin) res.setHeader('X-CRM-Origin', JSON.stringify(origin));
    res.setHeader('ETag', metadataEtag(stored));
    res.json(doc);
  });

  // A form's conditions as the studio evaluates them (the same JSONata the server runs on writes).
  router.get('/forms/:name/logic', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    const stored = ctx.model.set.get('form', req.params.name);
    const doc = stored && visible(ctx, stored);
    if (!doc) throw new CrmError('NOT_FOUND', { en: `No form "${req.params.name}"`, zh: `没有表单「${req.params.name}」` });
    res.json(formLogic(doc as unknown as FormDefinition));
  });

  router.put('/:kind/:name', async (req, res) => {
    const ctx = await adminContext(req, res);
    checkQueryParameters(req, []);
    const kind = kindOrThrow(req.params.kind);
    // Checked against the runtime's model with no await before prepare(): apply() refuses (409) if another revision lands in between.
    const before = runtime.model.set.get(kind.kind, req.params.name);
    checkMetadataIfMatch(req, before);
    const existed = before !== undefined;
    const prepared = runtime.prepare([{ kind: kind.kind, name: req.params.name, document: req.body as MetadataDocument }]);
    const model = await applyOrThrow(prepared, ctx, { kind: kind.kind, name: req.params.name });
    const after = model.set.get(kind.kind, req.params.name);
    if (after !== undefined) res.setHeader('ETag', metadataEtag(after));
    res.status(existed ? 200 : 201).json({ revision: model.revision, changes: prepared.changes.map(({ kind: k, name, action }) => ({ kind: k, name, action })) });
  });

  router.delete('/:kind/:name', async (req, res) => {
    const ctx = await adminContext(req, res);
    checkQueryParameters(req, []);
    const kind = kindOrThrow(req.params.kind);
    const before = runtime.model.set.get(kind.kind, req.params.name);
    checkMetadataIfMatch(req, before);
    if (!before) throw new CrmError('NOT_FOUND', { en: `No ${kind.kind} "${req.params.name}"`, zh: `没有 ${kind.kind}「${req.params.name}」` });
    const prepared = runtime.prepare([{ kind: kind.kind, name: req.params.name, document: undefined }]);
    const model = await applyOrThrow(prepared, ctx, { kind: kind.kind, name: req.params.name });
    res.json({ revision: model.revision });
  });

  return router;
}
