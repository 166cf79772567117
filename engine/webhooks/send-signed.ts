// One signed POST and its log entry: what every outgoing delivery shares — the workflow webhook
// action and event subscriptions alike. It never throws: the caller decides how to retry (the
// action through its job's backoff, a subscription through its outbox rows).

import type { Clock } from '../kernel/clock.ts';
import type { Store } from '../store/store-port.ts';
import { logAttempt, type DeliveryAttempt } from './deliveries.ts';
import { metricsFor } from '../ops/metrics.ts';
import { signPayload } from './sign-payload.ts';

export const webhookTimeoutMs = 10_000;

export interface SignedPost {
  store: Store;
  clock: Clock;
  /** The same on every attempt of one delivery (X-CRM-Delivery). */
  deliveryId: string;
  /** Attempt number of this delivery, from 1. */
  attempt: number;
  url: string;
  secret: string | undefined;
  body: string;
  /** Keep the body in the log entry (the first attempt of a delivery). */
  logBody: boolean;
  /** When the next attempt is due if this one fails (logged). */
  retryAt?: Date;
  meta: Pick<DeliveryAttempt, 'workflow' | 'action' | 'entity' | 'recordId' | 'subscription' | 'event' | 'seq'>;
  /** Collects the log entry here instead of writing it at once (the caller writes a batch in one commit). */
  logInto?: DeliveryAttempt[];
}

export interface PostOutcome {
  ok: boolean;
  status?: number;
  error?: string;
}

export async function sendSignedPost(post: SignedPost): Promise<PostOutcome> {
  const at = post.clock.now();
  const started = performance.now();
  const defined = Object.fromEntries(Object.entries(post.meta).filter(([, value]) => value !== undefined));
  const base = { deliveryId: post.deliveryId, attempt: post.attempt, url: post.url, at: at.toISOString(), ...defined, ...(post.logBody ? { body: post.body } : {}) };
  const finish = async (outcome: PostOutcome): Promise<PostOutcome> => {
    const durationMs = Math.round(performance.now() - started);
    const attempt: DeliveryAttempt = outcome.ok
      ? { ...base, outcome: 'delivered', status: outcome.status!, durationMs }
      : { ...base, outcome: 'failed', error: outcome.error ?? 'failed', ...(outcome.status !== undefined ? { status: outcome.status } : {}), durationMs, ...(post.retryAt ? { nextAttemptAt: post.retryAt.toISOString() } : {}) };
    metricsFor(post.store)?.delivery(post.meta.subscription !== undefined ? 'subscription' : 'webhook', outcome.ok);
    if (post.logInto) post.logInto.push(attempt);
    else await logAttempt(post.store, attempt);
    return outcome;
  };
  if (!post.secret) return finish({ ok: false, error: 'signing secret is not configured' });
  const timestamp = at.toISOString();
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-crm-delivery': post.deliveryId,
        'x-crm-timestamp': timestamp,
        'x-crm-signature': signPayload(post.secret, timestamp, post.body),
      },
      body: post.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(webhookTimeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
  } catch (error) {
    return finish({ ok: false, error: (error as Error).message || 'request failed' });
  }
  if (response.status < 200 || response.status >= 300) return finish({ ok: false, status: response.status, error: `answered ${response.status}` });
  return finish({ ok: true, status: response.status });
}
