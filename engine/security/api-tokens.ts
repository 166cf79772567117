// API tokens for integrations, sent as `Authorization: Bearer crmt_<id>.<secret>`. Each acts for
// its user within one role (or as admin, for an admin user); the secret is shown once and kept
// only as SHA-256; deleting the token revokes it on the next request.

import { newId } from '../kernel/ids.ts';
import { internalField, where } from '../filter/filter-tree.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import { getNow, type Store, type StoreReader } from '../store/store-port.ts';
import { tokensCollection } from './collections.ts';
import { matchesHash, newSecret, sha256, splitCredential } from './secrets.ts';

export const tokenPrefix = 'crmt_';
/** The role name a token of an admin user may carry to act as administrator. */
export const adminTokenRole = 'admin';

export interface TokenDocument {
  userId: string;
  name: string;
  /** The one role the token acts with: a role the user holds, or `admin`. */
  role: string;
  secretHash: string;
  epoch: number;
  createdAt: string;
  expiresAt?: string;
}

export interface ApiToken extends TokenDocument {
  id: string;
}

export interface PublicToken {
  id: string;
  name: string;
  role: string;
  userId: string;
  createdAt: string;
  expiresAt?: string;
}

export function publicToken(token: ApiToken): PublicToken {
  return { id: token.id, name: token.name, role: token.role, userId: token.userId, createdAt: token.createdAt, ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}) };
}

export async function createToken(store: Store, args: { user: { id: string; epoch: number }; name: string; role: string; now: Date; expiresAt?: string }): Promise<{ token: ApiToken; secret: string }> {
  const id = newId();
  const secret = newSecret();
  const data: TokenDocument = {
    userId: args.user.id, name: args.name, role: args.role, secretHash: sha256(secret), epoch: args.user.epoch, createdAt: args.now.toISOString(),
    ...(args.expiresAt ? { expiresAt: args.expiresAt } : {}),
  };
  await store.transaction((tx) => tx.insert(tokensCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> }));
  return { token: { id, ...data }, secret: `${tokenPrefix}${id}.${secret}` };
}

/** The live token a bearer credential names, or undefined (unknown, wrong secret, expired); without a promise when the reader answers at once. */
export function findToken(reader: StoreReader, bearer: string, now: Date): MaybePromise<ApiToken | undefined> {
  const parts = splitCredential(bearer, tokenPrefix);
  if (!parts) return undefined;
  return after(getNow(reader, tokensCollection.name, parts.id), (row) => {
    if (!row) return undefined;
    const token = { id: row.id, ...(row.data as unknown as TokenDocument) };
    if (!matchesHash(parts.secret, token.secretHash)) return undefined;
    if (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime()) return undefined;
    return token;
  });
}

export async function tokensOf(reader: StoreReader, userId?: string): Promise<ApiToken[]> {
  const rows = await reader.find(tokensCollection.name, { filter: userId ? where({ userId }) : { kind: 'true' }, sort: [{ field: internalField('id'), direction: 1 }], limit: 10_000 });
  return rows.map((row) => ({ id: row.id, ...(row.data as unknown as TokenDocument) }));
}

export async function findTokenById(reader: StoreReader, id: string): Promise<ApiToken | undefined> {
  const row = await reader.get(tokensCollection.name, id);
  return row ? { id: row.id, ...(row.data as unknown as TokenDocument) } : undefined;
}

export async function revokeToken(store: Store, id: string): Promise<boolean> {
  return store.transaction((tx) => tx.delete(tokensCollection.name, id));
}
