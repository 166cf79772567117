// Users and teams as documents in system collections: find, create, change. Changing what a user
// may do (roles, admin, disabled, password) bumps the user's epoch, which ends every session and
// token issued before — checked on the next request.

import { newId } from '../kernel/ids.ts';
import type { Locale } from '../kernel/i18n.ts';
import { andFilters, internalField, where, type FilterNode } from '../filter/filter-tree.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import { getNow, type Store, type StoreReader, type StoredRecord } from '../store/store-port.ts';
import { sessionsCollection, teamsCollection, tokensCollection, usersCollection } from './collections.ts';
import { teamsBelow } from '../access/team-hierarchy.ts';
import { escapeRegex } from '../kernel/safe-regex.ts';

export interface UserDocument {
  email: string;
  name?: string;
  passwordHash: string;
  roles: string[];
  teams: string[];
  admin: boolean;
  disabled: boolean;
  /** The language of the user's notifications and e-mails; English when absent. */
  locale?: Locale;
  /** Bumped whenever the user's rights or password change; sessions and tokens carry the epoch they were issued at. */
  epoch: number;
  createdAt: string;
  updatedAt: string;
}

export interface User extends UserDocument {
  id: string;
  version: number;
}

/** What the API shows of a user: never the hash or the epoch. */
export interface PublicUser {
  id: string;
  email: string;
  name?: string;
  roles: string[];
  teams: string[];
  admin: boolean;
  disabled: boolean;
  locale?: Locale;
  createdAt: string;
  updatedAt: string;
}

export interface TeamDocument {
  label?: string;
  /** The team above this one; team scope of the parent covers this team's members. */
  parent?: string;
}

export interface Team extends TeamDocument {
  /** The team's name is its id. */
  name: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function asUser(row: StoredRecord): User {
  return { id: row.id, version: row.version, ...(row.data as unknown as UserDocument) };
}

export function publicUser(user: User): PublicUser {
  return {
    id: user.id, email: user.email, ...(user.name !== undefined ? { name: user.name } : {}), roles: user.roles, teams: user.teams,
    admin: user.admin, disabled: user.disabled, ...(user.locale ? { locale: user.locale } : {}), createdAt: user.createdAt, updatedAt: user.updatedAt,
  };
}

/** The user by id; without a promise when the reader answers at once. */
export function findUserById(reader: StoreReader, id: string): MaybePromise<User | undefined> {
  return after(getNow(reader, usersCollection.name, id), (row) => (row ? asUser(row) : undefined));
}

export async function findUserByEmail(reader: StoreReader, email: string): Promise<User | undefined> {
  const [row] = await reader.find(usersCollection.name, { filter: where({ email: normalizeEmail(email) }), sort: [], limit: 1 });
  return row ? asUser(row) : undefined;
}

export async function countUsers(reader: StoreReader): Promise<number> {
  return reader.count(usersCollection.name, { kind: 'true' });
}

/** The named users, disabled ones included, in e-mail order; unknown ids are left out. */
export async function findUsersByIds(reader: StoreReader, ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  const rows = await reader.find(usersCollection.name, { filter: { kind: 'in', field: internalField('id'), values: ids, negate: false }, sort: [{ field: internalField('email'), direction: 1 }], limit: ids.length });
  return rows.map(asUser);
}


/** Users whose name or e-mail holds every word (case-insensitive), as a store filter. */
function usersMatching(words: readonly string[]): FilterNode | undefined {
  const holds = (word: string): FilterNode => {
    const pattern = escapeRegex(word);
    return { kind: 'or', children: [{ kind: 'regex', field: internalField('name'), pattern, flags: 'i' }, { kind: 'regex', field: internalField('email'), pattern, flags: 'i' }] };
  };
  return andFilters(...words.map(holds));
}

/** Active users whose name or e-mail holds every word (case-insensitive), as a store filter. */
function activeUsersMatching(words: readonly string[]): FilterNode {
  const active: FilterNode = { kind: 'not', child: { kind: 'compare', field: internalField('disabled', 'boolean'), op: '$eq', value: true } };
  return andFilters(active, usersMatching(words));
}

/**
 * The first `limit` active users matching every word, by name (e-mail for those without one) in the
 * locale's order. Up to `exactUpTo` matches are all read and sorted; beyond that the store sorts
 * (by code point: "Émile" after "Zoe") the first named users by name and the first unnamed by
 * e-mail, merged — so a directory of any size never reads more than a bounded number of users.
 */
export async function searchActiveUsers(reader: StoreReader, words: readonly string[], limit: number, exactUpTo = 1000): Promise<User[]> {
  const filter = activeUsersMatching(words);
  const byName = (a: User, b: User) => (a.name ?? a.email).localeCompare(b.name ?? b.email);
  const all = await reader.find(usersCollection.name, { filter, sort: [{ field: internalField('email'), direction: 1 }], limit: exactUpTo + 1 });
  if (all.length <= exactUpTo) return all.map(asUser).sort(byName).slice(0, limit);
  const named = { kind: 'exists', field: internalField('name'), exists: true } as const;
  const unnamed = { kind: 'exists', field: internalField('name'), exists: false } as const;
  const [first, rest] = await Promise.all([
    reader.find(usersCollection.name, { filter: andFilters(filter, named), sort: [{ field: internalField('name'), direction: 1 }, { field: internalField('email'), direction: 1 }], limit }),
    reader.find(usersCollection.name, { filter: andFilters(filter, unnamed), sort: [{ field: internalField('email'), direction: 1 }], limit }),
  ]);
  return [...first, ...rest].map(asUser).sort(byName).slice(0, limit);
}

/**
 * One page of users (disabled ones included) in e-mail order, those whose name or e-mail holds every
 * word; `next` is the e-mail to continue after, null on the last page — a list of any size is read a
 * page at a time and never cut short unsaid.
 */
export async function pageUsers(reader: StoreReader, options: { words?: readonly string[]; after?: string; limit: number }): Promise<{ items: User[]; next: string | null }> {
  const page: FilterNode | undefined = options.after === undefined ? undefined : { kind: 'compare', field: internalField('email'), op: '$gt', value: options.after };
  const rows = await reader.find(usersCollection.name, { filter: andFilters(usersMatching(options.words ?? []), page), sort: [{ field: internalField('email'), direction: 1 }], limit: options.limit + 1 });
  const items = rows.slice(0, options.limit).map(asUser);
  return { items, next: rows.length > options.limit ? items[items.length - 1]!.email : null };
}

/** The administrators who are not disabled (those told when the system needs an admin), read by the store's filter. */
export async function activeAdmins(reader: StoreReader): Promise<User[]> {
  const filter = andFilters(
    { kind: 'compare', field: internalField('admin', 'boolean'), op: '$eq', value: true },
    { kind: 'not', child: { kind: 'compare', field: internalField('disabled', 'boolean'), op: '$eq', value: true } },
  );
  return (await reader.find(usersCollection.name, { filter, sort: [{ field: internalField('email'), direction: 1 }], limit: 1000 })).map(asUser);
}

/** Every user, in e-mail order, a page at a time. */
export async function* eachUser(reader: StoreReader, pageSize = 1000): AsyncGenerator<User> {
  for (let after: string | undefined; ;) {
    const page = await pageUsers(reader, { ...(after === undefined ? {} : { after }), limit: pageSize });
    yield* page.items;
    if (page.next === null) return;
    after = page.next;
  }
}

export async function insertUser(store: Store, values: Omit<UserDocument, 'epoch' | 'createdAt' | 'updatedAt'>, now: Date, options: { onlyIfNoUsers?: boolean } = {}): Promise<User | undefined> {
  const at = now.toISOString();
  const data: UserDocument = { ...values, email: normalizeEmail(values.email), epoch: 1, createdAt: at, updatedAt: at };
  const id = newId();
  return store.transaction(async (tx) => {
    if (options.onlyIfNoUsers && (await tx.count(usersCollection.name, { kind: 'true' })) > 0) return undefined;
    await tx.insert(usersCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
    return { id, version: 1, ...data };
  });
}

/**
 * Changes a user. When `endSessions` is set the epoch moves on and every session and token of
 * the user is deleted in the same transaction: they stop working on the next request.
 */
export async function updateUser(store: Store, id: string, change: Partial<Omit<UserDocument, 'epoch' | 'createdAt'>>, options: { now: Date; endSessions: boolean }): Promise<User | undefined> {
  return store.transaction(async (tx) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await tx.get(usersCollection.name, id);
      if (!row) return undefined;
      const current = row.data as unknown as UserDocument;
      const data: UserDocument = { ...current, ...change, updatedAt: options.now.toISOString(), epoch: current.epoch + (options.endSessions ? 1 : 0) };
      if (change.email !== undefined) data.email = normalizeEmail(change.email);
      if (await tx.replace(usersCollection.name, { ...row, version: row.version + 1, data: data as unknown as Record<string, unknown> }, row.version)) {
        if (options.endSessions) {
          for (const collection of [sessionsCollection.name, tokensCollection.name]) {
            for (const doc of await tx.find(collection, { filter: where({ userId: id }), sort: [], limit: 100_000 })) await tx.delete(collection, doc.id);
          }
        }
        return { id, version: row.version + 1, ...data };
      }
    }
    return undefined;
  });
}

export async function listTeams(reader: StoreReader): Promise<Team[]> {
  const rows = await reader.find(teamsCollection.name, { filter: { kind: 'true' }, sort: [{ field: internalField('id'), direction: 1 }], limit: 100_000 });
  return rows.map((row) => ({ name: row.id, ...(row.data as TeamDocument) }));
}

export { teamsBelow };

/** Ids of users in any of the teams (the "team" scope of a member of them). */
export async function membersOf(reader: StoreReader, teams: ReadonlySet<string>): Promise<string[]> {
  if (teams.size === 0) return [];
  const filter: FilterNode = { kind: 'in', field: internalField('teams', 'string', true), values: [...teams], negate: false };
  const rows = await reader.find(usersCollection.name, { filter, sort: [], limit: 100_000 });
  return rows.map((row) => row.id);
}
