// POST /api/meta/refactor/rename with `kind: "entity"`: the request read and checked, the rename run
// through the one refactoring dry run (designer/refactoring.ts), and, once applied, the emptied old
// collection dropped — its records, indexes and counters live under the new name.

import { matchAll } from '../filter/filter-tree.ts';
import { localizeDetailMessage } from '../kernel/detail-text.ts';
import { CrmError } from '../kernel/errors.ts';
import { adminLayer } from '../metadata/metadata-repository.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { EngineServices } from '../capability/engine-module.ts';
import { applyFlag, badRequest, runRefactoring, stringAt } from './refactoring.ts';
import { checkEntityRename, planEntityRename, renameStoredEntity, sweptCollections } from './rename-entity.ts';

const known = ['kind', 'from', 'to', 'apply'];

export async function renameEntity(engine: Pick<EngineServices, 'runtime' | 'store' | 'clock'>, ctx: RequestContext, body: Record<string, unknown>) {
  for (const key of Object.keys(body)) if (!known.includes(key)) throw badRequest(`/${key}`, `is not a known property (known: ${known.join(', ')})`);
  const from = stringAt(body, 'from');
  const to = stringAt(body, 'to');
  const apply = applyFlag(body);
  const set = ctx.model.set;
  const collections = await engine.store.listCollections();
  const storedUnderTo = collections.includes(to) && !set.entity(to) ? await engine.store.count(to, matchAll) : 0;
  const ownedBy = (engine.runtime.findItem('entity', from)?.layers ?? []).filter((layer) => layer !== adminLayer).map((layer) => layer.replace(/^template:/, ''));
  const refused = checkEntityRename({ set, from, to, ownedBy, storedUnderTo });
  if (refused.length > 0) {
    const first = refused[0]!.code;
    const code = first === 'UNKNOWN_ENTITY' ? 'UNKNOWN_ENTITY' : first === 'NAME_TAKEN' || first === 'TEMPLATE_OWNED' ? 'CONFLICT' : 'BAD_REQUEST';
    throw new CrmError(code, undefined, refused.map((i) => ({ ...i, message: localizeDetailMessage(i.message, ctx.locale) })));
  }
  const plan = planEntityRename(set, from, to);
  const systemCollections = sweptCollections(collections);
  const result = await runRefactoring(engine, {
    refactoring: {
      requested: plan.requested,
      operation: { type: 'renameEntity', from, to },
      migrate: (store, write, model) => renameStoredEntity({ store, write, model, from, to, systemCollections }),
    },
    apply,
    by: ctx.principal.id,
    locale: ctx.locale,
  });
  // Committed: the old collection is empty (its records moved in the revision's transaction).
  if (apply && (await engine.store.count(from, matchAll)) === 0) await engine.store.dropCollection(from);
  const counts = { references: plan.usages.length, byKind: plan.byKind, usages: plan.usages, stored: result.counts };
  return { kind: 'entity', from, to, valid: result.valid, issues: result.issues, ...(apply ? { applied: counts, revision: result.revision } : { preview: counts }) };
}
