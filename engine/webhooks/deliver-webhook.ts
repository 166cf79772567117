// A job-driven delivery (the workflow webhook action): one signed POST per job attempt; on
// anything but a 2xx answer it throws RetryLater so that the scheduler tries again with backoff.

import { RetryLater, backoffDelay } from '../scheduler/scheduler.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Store } from '../store/store-port.ts';
import { attemptsOf } from './deliveries.ts';
import { sendSignedPost } from './send-signed.ts';

export { webhookTimeoutMs } from './send-signed.ts';

export interface DeliveryRequest {
  store: Store;
  clock: Clock;
  deliveryId: string;
  attempt: number;
  maxAttempts: number;
  url: string;
  secret: string | undefined;
  /** Builds the body for the first attempt; later attempts resend the logged one. */
  buildBody: () => Promise<string>;
  backoff: { baseMs: number; maxMs: number };
  meta: { workflow?: string; action?: string; entity?: string; recordId?: string };
}

export async function deliverWebhook(request: DeliveryRequest): Promise<string> {
  const earlier = await attemptsOf(request.store, request.deliveryId);
  const logged = earlier.find((a) => a.body !== undefined)?.body;
  const body = logged ?? (await request.buildBody());
  const retryDelay = backoffDelay(request.attempt, request.backoff.baseMs, request.backoff.maxMs);
  const attemptNumber = earlier.length + 1;
  const outcome = await sendSignedPost({
    store: request.store, clock: request.clock, deliveryId: request.deliveryId, attempt: attemptNumber, url: request.url, secret: request.secret, body,
    logBody: logged === undefined, meta: request.meta,
    ...(request.attempt < request.maxAttempts ? { retryAt: new Date(request.clock.now().getTime() + retryDelay) } : {}),
  });
  if (!outcome.ok) throw new RetryLater(`webhook ${request.url}: ${outcome.error ?? 'failed'}`, retryDelay);
  return `delivered on attempt ${attemptNumber} (${outcome.status})`;
}
