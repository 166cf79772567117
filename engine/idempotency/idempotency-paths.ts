// Which POSTs take an Idempotency-Key, in one place: the middleware acts on them, and the OpenAPI
// document declares the header and the answers it brings (409 while the first is served, 422 for a
// key reused with another body) on exactly those operations.

import { errorResponses, retryAfterHeader, type OpenApiOperation } from '../http/openapi-fragment.ts';

/** Paths below /api whose bodies or answers hold secrets: sign-in, tokens, setup, passwords. */
const excluded = [/^\/auth\//, /^\/setup\//, /^\/users\/[^/]+\/password$/];

/** Whether a POST to this path (below /api: `/data/deal`) is served under its Idempotency-Key. */
export function takesIdempotencyKey(apiPath: string): boolean {
  return !excluded.some((pattern) => pattern.test(apiPath));
}

export const keyPattern = /^[\x21-\x7e]{1,255}$/;

const keyParameter = {
  name: 'Idempotency-Key', in: 'header', required: false,
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  description: 'A key of 1 to 255 visible ASCII characters, kept 24 h per user: a retry with the same key gets the first answer (with `Idempotent-Replayed: true`) instead of acting twice (a refusal or failure before anything was written releases the key); the same key with another method, path or body (compared as parsed JSON, key order aside) is 422 IDEMPOTENCY_KEY_REUSED, one arriving while the first is served elsewhere 409 IDEMPOTENCY_IN_PROGRESS with Retry-After.',
};

/**
 * A POST operation of the document at `path` (`/api/data/deal`), with the Idempotency-Key header and
 * its 409 and 422 answers added when the middleware serves it under a key. Public operations (no
 * security: a web form's submission) are left as they are: an anonymous caller's key is ignored.
 */
export function withIdempotencyKey(path: string, operation: OpenApiOperation): OpenApiOperation {
  if (!path.startsWith('/api/') || !takesIdempotencyKey(path.slice('/api'.length))) return operation;
  if (Array.isArray(operation['security']) && operation['security'].length === 0) return operation;
  const parameters = (operation['parameters'] as unknown[] | undefined) ?? [];
  const responses = { ...(operation['responses'] as Record<string, unknown> | undefined) };
  const errors = errorResponses(409, 422) as Record<string, Record<string, unknown>>;
  responses['409'] ??= { ...errors['409'], description: `${String((errors['409'] as { description: string }).description)}; or the first request with this Idempotency-Key is still being served (IDEMPOTENCY_IN_PROGRESS, see Retry-After)`, headers: retryAfterHeader };
  responses['422'] ??= { ...errors['422'], description: 'The Idempotency-Key was used before for another method, path or body (IDEMPOTENCY_KEY_REUSED)' };
  return { ...operation, parameters: [...parameters, keyParameter], responses };
}
