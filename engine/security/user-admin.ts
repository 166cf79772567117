// Creating and changing users with their checks: a real e-mail, a strong password, roles that
// exist in metadata and teams that exist as data. Used by the users API, first-run setup and the CLI.

import type { Clock } from '../kernel/clock.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { Store } from '../store/store-port.ts';
import { emailPattern } from './body-checks.ts';
import { checkNewPassword, hashPassword } from './passwords.ts';
import { findUserByEmail, insertUser, listTeams, type User } from './user-store.ts';

export interface NewUser {
  email: string;
  password: string;
  name?: string;
  roles?: string[];
  teams?: string[];
  admin?: boolean;
  locale?: Locale;
}

/** Issues with role and team names: each must exist. */
export async function checkRolesAndTeams(args: { store: Store; roles: MetadataSet; roleNames?: readonly string[]; teamNames?: readonly string[]; locale: Locale }): Promise<IssueDetail[]> {
  const issues: IssueDetail[] = [];
  (args.roleNames ?? []).forEach((name, i) => {
    if (!args.roles.get('role', name)) issues.push({ path: `/roles/${i}`, message: localize({ en: `there is no role "${name}"`, zh: `没有角色「${name}」` }, args.locale) });
  });
  if ((args.teamNames ?? []).length > 0) {
    const known = new Set((await listTeams(args.store)).map((t) => t.name));
    (args.teamNames ?? []).forEach((name, i) => {
      if (!known.has(name)) issues.push({ path: `/teams/${i}`, message: localize({ en: `there is no team "${name}"`, zh: `没有团队「${name}」` }, args.locale) });
    });
  }
  return issues;
}

/** Creates a user after checking everything; `onlyIfNoUsers` makes it the first admin or nothing. */
export async function addUser(args: { store: Store; clock: Clock; roles: MetadataSet; user: NewUser; locale: Locale; onlyIfNoUsers?: boolean }): Promise<User> {
  const { store, user, locale } = args;
  const issues: IssueDetail[] = [];
  const email = user.email.trim().toLowerCase();
  if (!emailPattern.test(email)) issues.push({ path: '/email', message: localize({ en: 'must be an e-mail address', zh: '必须是邮箱地址' }, locale) });
  const problem = checkNewPassword(user.password, email, locale);
  if (problem) issues.push({ path: '/password', message: problem });
  issues.push(...(await checkRolesAndTeams({ store, roles: args.roles, ...(user.roles ? { roleNames: user.roles } : {}), ...(user.teams ? { teamNames: user.teams } : {}), locale })));
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
  if (await findUserByEmail(store, email)) {
    throw new CrmError('UNIQUE_VIOLATION', undefined, [{ path: '/email', message: localize({ en: 'a user with this e-mail exists', zh: '该邮箱的用户已存在' }, locale) }]);
  }
  const created = await insertUser(
    store,
    { email, ...(user.name ? { name: user.name } : {}), passwordHash: await hashPassword(user.password), roles: [...new Set(user.roles ?? [])], teams: [...new Set(user.teams ?? [])], admin: user.admin === true, disabled: false, ...(user.locale ? { locale: user.locale } : {}) },
    args.clock.now(),
    args.onlyIfNoUsers ? { onlyIfNoUsers: true } : {},
  );
  if (!created) throw new CrmError('CONFLICT', { en: 'The first administrator has already been created', zh: '首个管理员已创建' });
  return created;
}
