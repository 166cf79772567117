// `fields=`: which values a list, a record or an export answers. One check for all three, so that
// what one accepts the others do too: a readable field, a part of a readable composite field
// (`address.city`, `parent.entity`) or a lookup path (`account.industry`) — the parts and paths
// answered as flat keys. Anything else is a 400 at /query/fields naming it (a field the caller may
// not read and one that does not exist are not told apart).

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import { resolveFieldOrPath } from './lookup-paths.ts';
import type { RequestContext } from './request-context.ts';

export interface FieldList {
  fields: ReadonlySet<string>;
  /** Dotted names asked for (parts of composite fields, lookup paths), each with where its value is read. */
  paths: ReadonlyMap<string, FilterableField>;
}

export function checkFieldList(args: { ctx: RequestContext; entity: CompiledEntity; fields: readonly string[]; locale?: Locale }): FieldList {
  const { ctx, entity, fields } = args;
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  const paths = new Map<string, FilterableField>();
  const unknown: string[] = [];
  for (const f of fields) {
    if (readable.has(f)) continue;
    // A dotted name ends on one value: a multi-valued part would not fit one flat key.
    const path = f.includes('.') ? resolveFieldOrPath(ctx, entity, f) : undefined;
    if (path && !path.array) paths.set(f, path);
    else unknown.push(f);
  }
  if (unknown.length > 0) {
    const locale = args.locale ?? ctx.locale;
    throw new CrmError('INVALID_QUERY', undefined, unknown.map((f) => ({ path: '/query/fields', message: localize({ en: `"${f}" is not a field you can read`, zh: `「${f}」不是可读字段` }, locale) })));
  }
  return { fields: new Set(fields), paths };
}
