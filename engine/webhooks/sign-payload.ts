// webhooks/: calling other systems — HMAC-SHA256 signed POSTs, retried with backoff by the
// scheduler, every attempt logged in `_webhookDeliveries` and listed by the API. This file: the
// signature a receiver checks.
//
// Headers: X-CRM-Timestamp (ISO), X-CRM-Delivery (id, the same on every retry) and
// X-CRM-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the shared secret>.

import { createHmac, timingSafeEqual } from 'node:crypto';

export function signPayload(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** For receivers (and tests): true when the signature matches. */
export function verifySignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
