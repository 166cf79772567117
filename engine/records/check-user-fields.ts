// `user` fields on a write: each value set or changed must be an active user of this CRM. Users
// live in the security module's `_users` collection; records only read whether one exists.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { type IssueDetail, pointer, localizedDetail } from '../kernel/errors.ts';
import type { StoreReader } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

const usersCollection = '_users';

export async function checkUserFields(args: { entity: CompiledEntity; values: RecordValues; previous?: RecordValues; reader: Pick<StoreReader, 'get'>; ctx: RequestContext }): Promise<IssueDetail[]> {
  const issues: IssueDetail[] = [];
  for (const field of args.entity.fields.values()) {
    if (field.definition.type !== 'user') continue;
    const id = args.values[field.name];
    if (typeof id !== 'string' || id === args.previous?.[field.name]) continue;
    const user = await args.reader.get(usersCollection, id);
    if (!user || user.data['disabled'] === true) {
      issues.push(localizedDetail({ path: pointer(field.name), code: 'USER_MISSING', text: { en: 'is not an active user', zh: '不是有效用户' } }, args.ctx.locale));
    }
  }
  return issues;
}

/** On create, user fields marked `defaultToCurrentUser` take the creating user when left empty. */
export function applyCurrentUserDefaults(entity: CompiledEntity, values: RecordValues, ctx: RequestContext): void {
  if (ctx.principal.kind !== 'user' && ctx.principal.kind !== 'token') return;
  for (const field of entity.fields.values()) {
    const def = field.definition;
    if (def.type === 'user' && def.defaultToCurrentUser === true && values[field.name] === undefined) values[field.name] = ctx.principal.id;
  }
}
