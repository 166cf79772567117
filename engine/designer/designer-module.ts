// designer/: what the studio's designers ask of the server beyond the generic metadata routes (usages
// are metadata's own, GET /api/meta/usages/…) — a field's type change with its counted preview (then
// converting the stored values in the revision's transaction), and a formula's or rollup's value on
// a sample record before the entity is saved, and what an unsaved view or dashboard shows (preview-routes.ts). Admin only; mounted under /api/meta before its generic routes.

import { Router, type Request, type Response } from 'express';
import { internalField, matchAll } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { publicDetail, detailMessage } from '../kernel/detail-text.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import { computeFormulas, computeRollups } from '../records/compute-values.ts';
import { loadThroughOverlay } from '../records/through-lookups.ts';
import { systemContext } from '../records/request-context.ts';
import { flattenIssues } from '../runtime/model-runtime.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { convertStoredField, notConvertible } from './change-field-type.ts';
import { designerApi } from './designer-openapi.ts';
import { applyFlag, badRequest, objectBody, runRefactoring, stringAt } from './refactoring.ts';
import { checkFieldRename, planFieldRename, renameStoredField } from './rename-field.ts';
import { renameEntity } from './rename-entity-route.ts';
import { addPreviewRoutes } from './preview-routes.ts';

const bad = badRequest;

export const designerModule: EngineModule = {
  name: 'designer',
  start(engine) {
    const deps = { runtime: engine.runtime, clock: engine.clock, policy: engine.policy, authenticate: engine.authenticate };
    const adminContext = async (req: Request, res: Response) => {
      const ctx = await contextFor(req, res, deps);
      ctx.policy.assertAdmin(ctx.principal);
      return ctx;
    };
    const router = Router();

    // The entity with one field's definition replaced: preview counts, and (apply: true) one revision.
    router.post('/refactor/change-type', async (req, res) => {
      const ctx = await adminContext(req, res);
      checkQueryParameters(req, []);
      const body = objectBody(req);
      const entityName = stringAt(body, 'entity');
      const field = stringAt(body, 'field');
      const definition = body['definition'];
      if (!definition || typeof definition !== 'object' || Array.isArray(definition) || typeof (definition as { type?: unknown }).type !== 'string') throw bad('/definition', 'must be a field definition with a type');
      const onFailure = body['onFailure'] ?? 'clear';
      if (onFailure !== 'clear' && onFailure !== 'refuse') throw bad('/onFailure', 'must be "clear" or "refuse"');
      const apply = applyFlag(body);
      const current = ctx.model.set.get('entity', entityName);
      if (!current) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${entityName}"`, zh: `没有实体「${entityName}」` }, [{ path: '/entity', message: 'no such entity' }]);
      const fields = (current['fields'] ?? {}) as Record<string, { type: string }>;
      const before = fields[field];
      if (!before) throw bad('/field', `no field "${field}" on ${entityName}`);
      const newType = String((definition as { type: string }).type);
      if (notConvertible.has(newType) || notConvertible.has(before.type)) throw bad('/definition/type', `a ${before.type} field cannot be changed into a ${newType} field: add a new field instead`);
      const document = { ...current, fields: { ...fields, [field]: definition } } as MetadataDocument;
      const from = before.type;
      // The one dry run (designer/refactoring.ts): the documents' checks, then the conversion and the
      // apply hooks rehearsed in a transaction rolled back — the counts are what apply converts.
      const result = await runRefactoring(engine, {
        refactoring: {
          requested: [{ kind: 'entity', name: entityName, document }],
          operation: { type: 'changeFieldType', entity: entityName, field, from, to: newType },
          migrate: (store, write, model) => convertStoredField({ store, write, model, entity: entityName, field, locale: ctx.locale }),
          refuse: (counts) => (onFailure === 'refuse' && counts.failing > 0 ? [{ path: '/onFailure', message: `${counts.failing} stored values cannot be converted` }] : []),
        },
        apply,
        by: ctx.principal.id,
        locale: ctx.locale,
      });
      const answer = { entity: entityName, field, from, to: newType, valid: result.valid, issues: result.issues, preview: result.counts };
      res.json(apply ? { ...answer, revision: result.revision, converted: result.counts?.changed ?? 0 } : answer);
    });

    // A field renamed everywhere it is used, its stored values moved: the dry run's counts, or (apply: true) one revision.
    router.post('/refactor/rename', async (req, res) => {
      const ctx = await adminContext(req, res);
      checkQueryParameters(req, []);
      const body = objectBody(req);
      const kind = body['kind'] ?? 'field';
      if (kind !== 'field' && kind !== 'entity') throw bad('/kind', 'must be "field" or "entity"');
      if (kind === 'entity') {
        res.json(await renameEntity(engine, ctx, body));
        return;
      }
      for (const key of Object.keys(body)) if (!['kind', 'entity', 'field', 'to', 'apply'].includes(key)) throw bad(`/${key}`, 'is not a known property (known: kind, entity, field, to, apply)');
      const entity = stringAt(body, 'entity');
      const field = stringAt(body, 'field');
      const to = stringAt(body, 'to');
      const apply = applyFlag(body);
      const set = ctx.model.set;
      const refused = checkFieldRename(set, entity, field, to);
      if (refused.length > 0) {
        const code = refused[0]!.code === 'UNKNOWN_ENTITY' ? 'UNKNOWN_ENTITY' : refused[0]!.code === 'NAME_TAKEN' ? 'CONFLICT' : 'BAD_REQUEST';
        throw new CrmError(code, undefined, refused.map((i) => publicDetail(i, ctx.locale)));
      }
      const plan = planFieldRename(set, entity, field, to);
      const result = await runRefactoring(engine, {
        refactoring: {
          requested: plan.requested,
          operation: { type: 'renameField', entity, field, to },
          migrate: (store, write, model) => renameStoredField({ store, write, set: model.set, entity, field, to, revision: model.revision }),
        },
        apply,
        by: ctx.principal.id,
        locale: ctx.locale,
      });
      const counts = { references: plan.usages.length, byKind: plan.byKind, usages: plan.usages, stored: result.counts };
      res.json({ entity, field, to, valid: result.valid, issues: result.issues, ...(apply ? { applied: counts, revision: result.revision } : { preview: counts }) });
    });

    // A formula's or rollup's value on one stored record, with the entity as the designer has it now.
    router.post('/preview/field', async (req, res) => {
      const ctx = await adminContext(req, res);
      checkQueryParameters(req, []);
      const body = objectBody(req);
      const field = stringAt(body, 'field');
      const recordId = body['recordId'];
      const document = body['entity'];
      if (!document || typeof document !== 'object' || Array.isArray(document)) throw bad('/entity', 'must be an entity document');
      const name = (document as { name?: unknown }).name;
      if (typeof name !== 'string') throw bad('/entity/name', 'must be the entity\'s name');
      const prepared = engine.runtime.prepare([{ kind: 'entity', name, document: { ...(document as MetadataDocument), kind: 'entity' } }]);
      const issues = flattenIssues(prepared.issues, true).map((i) => publicDetail(i, ctx.locale));
      const entity = prepared.model?.entities.get(name);
      if (!prepared.model || !entity) {
        res.json({ valid: false, issues, value: null });
        return;
      }
      if (!entity.fields.has(field)) throw bad('/field', `no field "${field}" on ${name}`);
      let row;
      if (recordId === undefined) row = (await engine.store.find(name, { filter: matchAll, limit: 1, sort: [{ field: internalField('id'), direction: 1 }] }))[0];
      else if (typeof recordId !== 'string') throw bad('/recordId', 'must be a record id');
      else row = await engine.store.get(name, recordId);
      if (!row) {
        res.json({ valid: issues.length === 0, issues, value: null, recordId: null });
        return;
      }
      const values = { ...row.data };
      const sys = systemContext({ reason: 'designer-preview', clock: ctx.clock, model: prepared.model, locale: ctx.locale });
      try {
        await computeRollups(entity, row.id, values, engine.store, sys);
        await computeFormulas(entity, values, sys, await loadThroughOverlay(entity, values, engine.store));
      } catch (error) {
        const detail = error instanceof CrmError ? (error.details[0] ? detailMessage(error.details[0], ctx.locale) : error.localizedMessage(ctx.locale)) : (error as Error).message;
        res.json({ valid: false, issues: [...issues, { path: `/fields/${field}`, message: detail }], value: null, recordId: row.id });
        return;
      }
      res.json({ valid: issues.length === 0, issues, value: values[field] ?? null, recordId: row.id });
    });

    addPreviewRoutes(router, engine, adminContext);
    return { routes: [{ path: '/api/meta', router }], openapi: designerApi };
  },
};
