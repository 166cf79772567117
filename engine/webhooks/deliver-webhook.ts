// One delivery attempt: POST the signed body, log the attempt, and on anything but a 2xx answer
// throw RetryLater so that the scheduler tries again with backoff (its clock decides when).

import { RetryLater, backoffDelay } from '../scheduler/scheduler.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Store } from '../store/store-port.ts';
import { attemptsOf, logAttempt } from './deliveries.ts';
import { signPayload } from './sign-payload.ts';

export const webhookTimeoutMs = 10_000;

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
  const body = earlier.find((a) => a.body !== undefined)?.body ?? (await request.buildBody());
  const at = request.clock.now();
  const started = performance.now();
  const attemptNumber = earlier.length + 1;
  const retryDelay = backoffDelay(request.attempt, request.backoff.baseMs, request.backoff.maxMs);
  const willRetry = request.attempt < request.maxAttempts;
  const base = {
    deliveryId: request.deliveryId, attempt: attemptNumber, url: request.url, at: at.toISOString(),
    ...(request.meta.workflow ? { workflow: request.meta.workflow } : {}), ...(request.meta.action ? { action: request.meta.action } : {}),
    ...(request.meta.entity ? { entity: request.meta.entity } : {}), ...(request.meta.recordId ? { recordId: request.meta.recordId } : {}),
    ...(earlier.some((a) => a.body !== undefined) ? {} : { body }),
  };
  const fail = async (reason: string, status?: number): Promise<never> => {
    await logAttempt(request.store, {
      ...base, outcome: 'failed', error: reason, ...(status !== undefined ? { status } : {}), durationMs: Math.round(performance.now() - started),
      ...(willRetry ? { nextAttemptAt: new Date(at.getTime() + retryDelay).toISOString() } : {}),
    });
    throw new RetryLater(`webhook ${request.url}: ${reason}`, retryDelay);
  };
  if (!request.secret) return fail('signing secret is not configured');
  const timestamp = at.toISOString();
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-crm-delivery': request.deliveryId,
        'x-crm-timestamp': timestamp,
        'x-crm-signature': signPayload(request.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(webhookTimeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
  } catch (error) {
    return fail((error as Error).message || 'request failed');
  }
  if (response.status < 200 || response.status >= 300) return fail(`answered ${response.status}`, response.status);
  await logAttempt(request.store, { ...base, outcome: 'delivered', status: response.status, durationMs: Math.round(performance.now() - started) });
  return `delivered on attempt ${attemptNumber} (${response.status})`;
}
