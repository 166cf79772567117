// The people directory (every signed-in user: who a user field, an owner or a history entry names),
// users and teams (admins only), and "view as": an admin's read answered by the API as another
// user or role would get it (X-CRM-View-As) — the same access checks, never re-done here.

import type { components } from '../../../sdk/src/generated/schema.ts';
import { getJson, request, type RequestOptions } from './client.ts';

export type UserSummary = components['schemas']['crm.User'];

export interface TeamSummary {
  id: string;
  name: string;
  parent?: string;
  [key: string]: unknown;
}

/** A colleague as the directory shows them (GET /api/people). */
export interface Person {
  id: string;
  name?: string;
  email: string;
  disabled?: boolean;
}

/** Active users whose name or e-mail holds every word of `search`. */
export async function searchPeople(search: string, limit = 20): Promise<Person[]> {
  return (await getJson<{ items: Person[] }>('/api/people', { ...(search ? { q: search.slice(0, 100) } : {}), limit })).items;
}

/** The named users (disabled ones included), at most 100 ids per call. */
export async function peopleByIds(ids: readonly string[]): Promise<Person[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
  const answers = await Promise.all(chunks.map((chunk) => getJson<{ items: Person[] }>('/api/people', { ids: chunk.join(',') })));
  return answers.flatMap((a) => a.items);
}

export interface UsersPage {
  items: UserSummary[];
  /** The e-mail to continue after; null on the last page. */
  next: string | null;
}

/** One page of users (admins only), disabled ones included, in e-mail order; `search` words must all appear in the name or e-mail. */
export async function listUsers(options: { search?: string; after?: string; limit?: number } = {}): Promise<UsersPage> {
  return getJson<UsersPage>('/api/users', {
    ...(options.search?.trim() ? { q: options.search.trim() } : {}),
    ...(options.after !== undefined ? { after: options.after } : {}),
    ...(options.limit !== undefined ? { limit: String(options.limit) } : {}),
  });
}

export async function listTeams(): Promise<TeamSummary[]> {
  return (await getJson<{ items: TeamSummary[] }>('/api/teams')).items;
}

export async function updateUser(id: string, patch: Partial<Pick<UserSummary, 'roles' | 'teams' | 'disabled'>>): Promise<UserSummary> {
  return (await request<UserSummary>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch })).body;
}

export async function createTeam(name: string, parent?: string): Promise<TeamSummary> {
  return (await request<TeamSummary>('/api/teams', { method: 'POST', body: { name, ...(parent ? { parent } : {}) } })).body;
}

/** `user:<id>` or `role:<name>`. */
export type ViewAsTarget = string;

/** GET as the target would: records, a record or metadata, exactly as the API answers them. */
export async function getAs<T>(target: ViewAsTarget, path: string, query?: RequestOptions['query']): Promise<T> {
  return (await request<T>(path, { query, viewAs: target })).body;
}

export interface NewUser {
  email: string;
  name?: string;
  password: string;
  roles: string[];
  teams: string[];
}

/** Creates a user (admins only): they sign in with the e-mail and the password given here. */
export async function createUser(user: NewUser): Promise<UserSummary> {
  return (await request<UserSummary>('/api/users', { method: 'POST', body: user })).body;
}
