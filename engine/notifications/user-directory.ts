// notifications/: telling people — a per-user inbox in the store, e-mail through SMTP (nodemailer)
// when SMTP_URL is configured, and the user directory that turns roles, e-mails and user fields
// into recipients. This file: the directory.

import { teamsBelow } from '../access/team-hierarchy.ts';
import { internalField } from '../filter/filter-tree.ts';
import type { Locale } from '../kernel/i18n.ts';
import type { StoreReader } from '../store/store-port.ts';

export interface DirectoryUser {
  id: string;
  email?: string;
  roles: readonly string[];
  teams: readonly string[];
  admin: boolean;
  locale?: Locale;
}

/** Who the users are. The security module keeps them; workflows only read. */
export interface UserDirectory {
  findById(id: string): Promise<DirectoryUser | undefined>;
  findByEmail(email: string): Promise<DirectoryUser | undefined>;
  /** Every active user holding the role. */
  listByRole(role: string): Promise<DirectoryUser[]>;
  /** Ids of the users in the user's teams and the teams below them (the user's "team" scope). */
  teamMembersOf?(user: DirectoryUser): Promise<readonly string[]>;
  /** The user's teams and the teams below them (the "team" scope over records that carry teams). */
  teamScopeOf?(user: DirectoryUser): Promise<readonly string[]>;
}

/** The shape the security module stores in `_users` (only what is read here). */
interface StoredUser {
  email?: string;
  roles?: string[];
  teams?: string[];
  admin?: boolean;
  disabled?: boolean;
  locale?: Locale;
}

const usersCollection = '_users';
const teamsCollection = '_teams';

function toUser(id: string, data: StoredUser): DirectoryUser {
  return { id, roles: data.roles ?? [], teams: data.teams ?? [], admin: data.admin === true, ...(data.email ? { email: data.email } : {}), ...(data.locale ? { locale: data.locale } : {}) };
}

/** Reads the security module's users collection; finds nobody while it does not exist. */
export function storeDirectory(reader: StoreReader): UserDirectory {
  const safe = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback; // no users collection (a server without the security module)
    }
  };
  const teamsBelowOf = async (user: DirectoryUser): Promise<Set<string>> => {
    const teams = await reader.find(teamsCollection, { filter: { kind: 'true' }, sort: [], limit: 100_000 });
    return teamsBelow(teams.map((t) => ({ name: t.id, ...(typeof t.data['parent'] === 'string' ? { parent: t.data['parent'] } : {}) })), user.teams);
  };
  return {
    findById: (id) => safe(async () => {
      const row = await reader.get(usersCollection, id);
      const data = row?.data as StoredUser | undefined;
      return row && !data?.disabled ? toUser(row.id, data ?? {}) : undefined;
    }, undefined),
    findByEmail: (email) => safe(async () => {
      const rows = await reader.find(usersCollection, { filter: { kind: 'compare', field: internalField('email'), op: '$eq', value: email.trim().toLowerCase() }, sort: [], limit: 1 });
      const row = rows[0];
      return row && !(row.data as StoredUser).disabled ? toUser(row.id, row.data as StoredUser) : undefined;
    }, undefined),
    listByRole: (role) => safe(async () => {
      const rows = await reader.find(usersCollection, { filter: { kind: 'true' }, sort: [], limit: 100_000 });
      return rows.filter((r) => !(r.data as StoredUser).disabled && ((r.data as StoredUser).roles ?? []).includes(role)).map((r) => toUser(r.id, r.data as StoredUser));
    }, []),
    teamMembersOf: (user) => safe(async () => {
      if (user.teams.length === 0) return [];
      const below = await teamsBelowOf(user);
      const members = await reader.find(usersCollection, { filter: { kind: 'in', field: internalField('teams', 'string', true), values: [...below], negate: false }, sort: [], limit: 100_000 });
      return members.map((m) => m.id);
    }, []),
    teamScopeOf: (user) => safe(async () => (user.teams.length === 0 ? [] : [...(await teamsBelowOf(user))]), []),
  };
}

/** A fixed list of users (tests, or a server without sign-in). */
export function staticDirectory(users: readonly DirectoryUser[]): UserDirectory {
  return {
    findById: async (id) => users.find((u) => u.id === id),
    findByEmail: async (email) => users.find((u) => u.email?.toLowerCase() === email.trim().toLowerCase()),
    listByRole: async (role) => users.filter((u) => u.roles.includes(role)),
  };
}

/** Looks in the first directory, then the next. */
export function chainDirectories(...directories: UserDirectory[]): UserDirectory {
  const first = async <T>(fn: (d: UserDirectory) => Promise<T | undefined>): Promise<T | undefined> => {
    for (const d of directories) {
      const found = await fn(d);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    findById: (id) => first((d) => d.findById(id)),
    findByEmail: (email) => first((d) => d.findByEmail(email)),
    teamMembersOf: async (user) => [...new Set((await Promise.all(directories.map((d) => d.teamMembersOf?.(user) ?? []))).flat())],
    teamScopeOf: async (user) => [...new Set((await Promise.all(directories.map((d) => d.teamScopeOf?.(user) ?? []))).flat())],
    listByRole: async (role) => {
      const seen = new Map<string, DirectoryUser>();
      for (const d of directories) for (const u of await d.listByRole(role)) if (!seen.has(u.id)) seen.set(u.id, u);
      return [...seen.values()];
    },
  };
}
