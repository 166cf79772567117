// Sign-in sessions for browsers: an opaque `<id>.<secret>` in an httpOnly, SameSite=Strict
// cookie; the store keeps only the secret's SHA-256, the user's epoch at sign-in, the expiry and
// a CSRF token that cookie-authenticated writes must echo in a header.

import { newId } from '../kernel/ids.ts';
import { internalField, where } from '../filter/filter-tree.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import { getNow, type Store, type StoreReader } from '../store/store-port.ts';
import { sessionsCollection } from './collections.ts';
import { matchesHash, newSecret, sha256, splitCredential } from './secrets.ts';

export const sessionCookieName = 'crm_session';
export const csrfHeaderName = 'x-csrf-token';
/** A session lasts this long from sign-in, however active. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export interface SessionDocument {
  userId: string;
  secretHash: string;
  csrfToken: string;
  epoch: number;
  createdAt: string;
  expiresAt: string;
}

export interface Session extends SessionDocument {
  id: string;
}

export async function createSession(store: Store, user: { id: string; epoch: number }, now: Date): Promise<{ session: Session; cookieValue: string }> {
  const id = newId();
  const secret = newSecret();
  const data: SessionDocument = {
    userId: user.id, secretHash: sha256(secret), csrfToken: newSecret(24), epoch: user.epoch,
    createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + sessionLifetimeMs).toISOString(),
  };
  await store.transaction((tx) => tx.insert(sessionsCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> }));
  return { session: { id, ...data }, cookieValue: `${id}.${secret}` };
}

/** The live session a cookie value names, or undefined (unknown, wrong secret, expired); without a promise when the reader answers at once. */
export function findSession(reader: StoreReader, cookieValue: string, now: Date): MaybePromise<Session | undefined> {
  const parts = splitCredential(cookieValue, '');
  if (!parts) return undefined;
  return after(getNow(reader, sessionsCollection.name, parts.id), (row) => {
    if (!row) return undefined;
    const session = { id: row.id, ...(row.data as unknown as SessionDocument) };
    if (!matchesHash(parts.secret, session.secretHash)) return undefined;
    if (Date.parse(session.expiresAt) <= now.getTime()) return undefined;
    return session;
  });
}

export async function deleteSession(store: Store, id: string): Promise<void> {
  await store.transaction((tx) => tx.delete(sessionsCollection.name, id));
}

/** Removes expired sessions (called now and then; an expired session is refused anyway). */
export async function deleteExpiredSessions(store: Store, now: Date): Promise<number> {
  const expired = await store.find(sessionsCollection.name, {
    filter: { kind: 'compare', field: internalField('expiresAt'), op: '$lte', value: now.toISOString() },
    sort: [],
    limit: 10_000,
  });
  await store.transaction(async (tx) => {
    for (const row of expired) await tx.delete(sessionsCollection.name, row.id);
  });
  return expired.length;
}

export async function sessionsOf(reader: StoreReader, userId: string): Promise<Session[]> {
  const rows = await reader.find(sessionsCollection.name, { filter: where({ userId }), sort: [], limit: 10_000 });
  return rows.map((row) => ({ id: row.id, ...(row.data as unknown as SessionDocument) }));
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, options: { secure: boolean; maxAgeMs: number }): string {
  const parts = [`${sessionCookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(options.maxAgeMs / 1000)}`];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
