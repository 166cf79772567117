// Random secrets and how they are kept: 32 random bytes, shown once, stored only as SHA-256
// (a fast hash is right for high-entropy secrets; passwords use argon2), compared in constant time.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Secrets already seen to hash to a stored hash: a client sends the same token or cookie on every
 * request, and hashing it again proves nothing new. Only the pairing is remembered — the caller
 * still reads the credential's row on every request, so a revoked or expired one fails at once.
 */
const verified = new Map<string, string>();
const verifiedLimit = 2000;

/** True when `secret` hashes to `hash`, in time independent of where they differ. */
export function matchesHash(secret: string, hash: string): boolean {
  if (verified.get(secret) === hash) return true;
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  const matches = a.length === b.length && timingSafeEqual(a, b);
  if (matches) {
    if (verified.size >= verifiedLimit) verified.delete(verified.keys().next().value!);
    verified.set(secret, hash);
  }
  return matches;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a), 'hex');
  const y = Buffer.from(sha256(b), 'hex');
  return timingSafeEqual(x, y);
}

/** `<prefix><id>.<secret>` → its parts; undefined when the shape is wrong. */
export function splitCredential(value: string, prefix: string): { id: string; secret: string } | undefined {
  if (!value.startsWith(prefix) || value.length > 200) return undefined;
  const match = /^([0-9A-Z]{26})\.([A-Za-z0-9_-]{40,60})$/.exec(value.slice(prefix.length));
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}
