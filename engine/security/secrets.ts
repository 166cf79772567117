// Random secrets and how they are kept: 32 random bytes, shown once, stored only as SHA-256
// (a fast hash is right for high-entropy secrets; passwords use argon2), compared in constant time.

import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

// crypto.hash: the one-shot digest, without a Hash object per call (about half the time of createHash).
export function sha256(value: string): string {
  return hash('sha256', value, 'hex');
}

function sha256Bytes(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/** True when `secret` hashes to `stored` (hex), in time independent of where they differ. */
export function matchesHash(secret: string, stored: string): boolean {
  // Hashed on every request (about a microsecond): a cache of secrets seen would keep raw
  // credentials in memory and answer a known secret without the constant-time comparison.
  const a = sha256Bytes(secret);
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sameSecret(a: string, b: string): boolean {
  const x = sha256Bytes(a);
  const y = sha256Bytes(b);
  return timingSafeEqual(x, y);
}

/** `<prefix><id>.<secret>` → its parts; undefined when the shape is wrong. */
export function splitCredential(value: string, prefix: string): { id: string; secret: string } | undefined {
  if (!value.startsWith(prefix) || value.length > 200) return undefined;
  const match = /^([0-9A-Z]{26})\.([A-Za-z0-9_-]{40,60})$/.exec(value.slice(prefix.length));
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}
