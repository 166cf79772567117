// The lookup filters of the records a merge re-pointed. A record that pointed at a merged record
// now points at the survivor, which its lookup's filter may exclude (a deal's contact must
// be of its account; the surviving contact is of another). Refusing the merge is the one choice
// that neither breaks the administrator's rule nor loses data: clearing the lookup would silently
// drop a link the user never asked to drop, and keeping it would leave a record that its next save
// refuses. The user can pick the other record as survivor, or fix the named records first.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { linkIds } from '../fields/link-values.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { recordFieldsRead } from '../filter/record-references.ts';
import { CrmError, localizedDetail, pointer, type IssueDetail } from '../kernel/errors.ts';
import { localize, type LocalizedText } from '../kernel/i18n.ts';
import { lookupFilterMessage, lookupFilterNode, lookupFilterOf } from '../records/lookup-filter.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { StoreTransaction } from '../store/store-port.ts';

/**
 * Checks, once everything is re-pointed and the survivor has its chosen values (a contact and its
 * deal both re-pointed fit together only then), every filtered lookup of a re-pointed record
 * that was re-pointed or reads (`$record.x`) a re-pointed field. Throws CONFLICT naming each
 * entity and field that no longer fits, with how many records. The filter is the administrator's
 * rule: it is checked over the target whatever the merging user may read.
 */
export async function checkRepointedLookupFilters(args: { tx: StoreTransaction; ctx: RequestContext; survivor: string; repointed: readonly { entity: string; id: string; field: string }[] }): Promise<void> {
  const { tx, ctx } = args;
  const changedFields = new Map<string, Set<string>>();
  for (const r of args.repointed) {
    const key = `${r.entity}\u0000${r.id}`;
    const fields = changedFields.get(key) ?? new Set<string>();
    fields.add(r.field);
    changedFields.set(key, fields);
  }
  const outside = new Map<string, { source: CompiledEntity; field: string; count: number }>();
  for (const [key, fields] of changedFields) {
    const [entityName, id] = key.split('\u0000') as [string, string];
    const source = ctx.model.entities.get(entityName);
    const record = source && (await tx.get(entityName, id));
    if (!source || !record) continue;
    for (const field of source.fields.values()) {
      const filter = lookupFilterOf(field);
      if (filter === undefined || !(fields.has(field.name) || recordFieldsRead(filter).some((name) => fields.has(name)))) continue;
      const target = ctx.model.entities.get((field.definition as { to: string }).to);
      // A multiLookup's other links were not re-pointed: only the survivor's is new to it, unless a field the filter reads moved.
      const ids = field.definition.type === 'multiLookup' ? (fields.has(field.name) ? [args.survivor] : linkIds(record.data[field.name])) : [record.data[field.name]].filter((v): v is string => typeof v === 'string');
      if (ids.length === 0 || !target) continue;
      const narrowed = lookupFilterNode({ ctx, source, field, target, values: record.data });
      if ((await tx.count(target.name, andFilters({ kind: 'in', field: internalField('id'), values: ids, negate: false }, narrowed))) === ids.length) continue;
      const entry = outside.get(`${source.name}\u0000${field.name}`) ?? { source, field: field.name, count: 0 };
      entry.count++;
      outside.set(`${source.name}\u0000${field.name}`, entry);
    }
  }
  if (outside.size === 0) return;
  const details: IssueDetail[] = [...outside.values()].map(({ source, field, count }) => {
    const compiled = source.fields.get(field)!;
    const label = (text: LocalizedText | undefined, fallback: string, locale: 'en' | 'zh') => localize(text, locale) || fallback;
    const rule = lookupFilterMessage(compiled, (compiled.definition as { to: string }).to);
    const text = {
      en: `${count} ${label(source.definition.label, source.name, 'en')} record(s) would point at the survivor through “${label(compiled.definition.label, field, 'en')}”, outside its filter: ${localize(rule, 'en')}`,
      zh: `有 ${count} 条${label(source.definition.label, source.name, 'zh')}记录会经由「${label(compiled.definition.label, field, 'zh')}」指向保留记录，不符合其筛选条件：${localize(rule, 'zh')}`,
    };
    return localizedDetail({ path: pointer(source.name, field), code: 'LOOKUP_FILTER', text }, ctx.locale);
  });
  throw new CrmError('CONFLICT', {
    en: 'Records pointing at a merged record cannot point at the survivor: their lookup filter excludes it',
    zh: '引用被合并记录的记录无法改为引用保留记录：其查找筛选条件不包含保留记录',
  }, details);
}
