// When a revision adds a formula or rollup field, or changes how one is computed, the records
// already stored get their values in the same transaction that commits the revision — otherwise
// they would show and filter on nothing (or stale values) until each is written again.

import { openPolicy, systemPrincipal } from '../access/policy.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { internalField, matchAll, type KeysetPosition } from '../filter/filter-tree.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import { readText, storedText } from '../kernel/detail-text.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { computeFormulas, computeRollups } from './compute-values.ts';
import { loadThroughOverlay } from './through-lookups.ts';
import type { RequestContext } from './request-context.ts';

const batchSize = 500;

/** Entities whose computed fields are new or differently defined in `next`. */
function entitiesToRefresh(previous: CompiledModel, next: CompiledModel): CompiledEntity[] {
  return [...next.entities.values()].filter((entity) => {
    const before = previous.entities.get(entity.name);
    if (!before) return false; // a new entity has no records yet
    return [...entity.fields.values()].some(
      (field) => (field.type.compute === 'formula' || field.type.compute === 'rollup') && JSON.stringify(before.fields.get(field.name)?.definition) !== JSON.stringify(field.definition),
    );
  });
}

export async function refreshComputedFields(args: { tx: StoreTransaction; previous: CompiledModel; next: CompiledModel; clock: Clock }): Promise<void> {
  const { tx, next } = args;
  const ctx: RequestContext = { principal: systemPrincipal('metadata-apply'), locale: 'en', clock: args.clock, model: next, policy: openPolicy };
  for (const entity of entitiesToRefresh(args.previous, next)) {
    let after: KeysetPosition | undefined;
    for (;;) {
      const rows = await tx.find(entity.name, { filter: matchAll, sort: [{ field: internalField('id'), direction: 1 }], limit: batchSize, ...(after ? { after } : {}) });
      for (const row of rows) {
        const values = { ...row.data };
        try {
          await computeRollups(entity, row.id, values, tx, ctx);
          await computeFormulas(entity, values, ctx, await loadThroughOverlay(entity, values, tx));
        } catch (error) {
          throw located(error, entity.name, row.id);
        }
        // Derived values only: the version (the record's ETag) stays, as for rollups kept current.
        if (JSON.stringify(values) !== JSON.stringify(row.data)) await tx.replace(entity.name, { ...row, data: values }, row.version);
      }
      if (rows.length < batchSize) break;
      const last = rows[rows.length - 1]!;
      after = { values: [last.id], id: last.id };
    }
  }
}

/**
 * A computed field that fails on a stored record refuses the revision (nothing is applied). Its
 * issues are located as apply hooks locate theirs — `/entity/{name}/fields/…`, so a multi-document
 * apply and the dry run name the document — and name the record whose values it fails on.
 */
function located(error: unknown, entity: string, id: string): unknown {
  if (!(error instanceof CrmError)) return error;
  return new CrmError(error.code, error.text, error.details.map((detail) => {
    const en = `stored record ${id}: ${readText(storedText(detail), 'en')}`;
    return { ...detail, path: `/entity/${entity}${detail.path}`, message: en, text: { en, zh: `已存储的记录 ${id}：${readText(storedText(detail), 'zh')}` } };
  }), error.extra);
}
