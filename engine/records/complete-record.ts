// The steps every write shares once the input is accepted: lookups, computed values, rules and
// duplicates — all inside the write's transaction, so what is checked is what is stored.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { CrmError, localizedDetail } from '../kernel/errors.ts';
import { localize, locales, type LocalizedText } from '../kernel/i18n.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { checkLookups, checkRules, computeFormulas, computeRollups, findDuplicates, type DuplicateFinding, type DuplicateHints } from './compute-values.ts';
import type { RecordValues } from './record-shape.ts';
import { loadThroughOverlay } from './through-lookups.ts';
import { checkUserFields } from './check-user-fields.ts';
import { checkPolymorphicLookups } from './check-polymorphic-lookups.ts';
import { checkMultiLookups } from './check-multi-lookups.ts';
import { checkFileFields } from './check-file-fields.ts';
import type { RequestContext } from './request-context.ts';
import { writeTraits } from './write-traits.ts';

export async function completeRecord(args: {
  entity: CompiledEntity;
  id: string;
  /** The caller's own new copy of the record's values (both writers make one): completed in place, and returned. */
  values: RecordValues;
  previous?: RecordValues;
  tx: StoreTransaction;
  ctx: RequestContext;
  /** Bulk writers: duplicates already ruled out for the batch (compute-values.ts). */
  duplicateHints?: DuplicateHints;
  /** A merge: the merged records, whose files the survivor may take over. */
  adoptFilesFrom?: readonly string[];
}): Promise<{ values: RecordValues; duplicates: DuplicateFinding[] }> {
  const { entity, id, tx, ctx } = args;
  const values = args.values;
  // Each step runs only when the entity has something for it (write-traits.ts): the same checks, fewer awaits.
  const traits = writeTraits(entity);
  const previous = args.previous ? { previous: args.previous } : {};
  const lookupIssues = [
    ...(entity.lookups.length > 0 ? await checkLookups({ entity, values, ...previous, tx, ctx }) : []),
    ...(traits.userFields ? await checkUserFields({ entity, values, ...previous, reader: tx, ctx }) : []),
    ...(traits.polymorphicLookups ? await checkPolymorphicLookups({ entity, values, ...previous, reader: tx, ctx }) : []),
    ...(traits.multiLookups ? await checkMultiLookups({ entity, values, ...previous, reader: tx, ctx }) : []),
    ...(traits.fileFields ? await checkFileFields({ entity, id, values, ...previous, ...(args.adoptFilesFrom ? { adoptFrom: args.adoptFilesFrom } : {}), tx, ctx }) : []),
  ];
  if (lookupIssues.length > 0) throw new CrmError('INVALID_RECORD', undefined, lookupIssues);
  if (traits.rollups) await computeRollups(entity, id, values, tx, ctx);
  const through = entity.throughLookups.size > 0 ? await loadThroughOverlay(entity, values, tx) : undefined;
  if (entity.formulas.length > 0) await computeFormulas(entity, values, ctx, through);
  const ruleIssues = entity.rules.length > 0 ? await checkRules(entity, values, ctx, through) : [];
  if (ruleIssues.length > 0) throw new CrmError('INVALID_RECORD', undefined, ruleIssues);
  const duplicates = entity.duplicateRules.length > 0 ? await findDuplicates(entity, values, id, tx, ctx, args.duplicateHints, args.previous) : [];
  const blocking = duplicates.filter((d) => d.action === 'block');
  if (blocking.length > 0) {
    throw new CrmError('CONFLICT', undefined, blocking.map((d) => localizedDetail({ path: d.path, code: `DUPLICATE:${d.rule}`, text: withIds(d.text, d.ids) }, ctx.locale)));
  }
  return { values, duplicates };
}

/** A duplicate rule's message followed by the ids it matched, in every language. */
function withIds(text: LocalizedText, ids: readonly string[]): LocalizedText {
  return Object.fromEntries(locales.map((locale) => [locale, `${localize(text, locale)}: ${ids.join(', ')}`]));
}
