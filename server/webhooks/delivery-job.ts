// Webhook deliveries as jobs of the queue (platform/jobs/runner.ts): each delivery row has a `webhook`
// job; its handler POSTs the signed payload and records the try on the row (the console's log)
// in the transaction that marks the job. A crash re-sends at most the deliveries in flight
// (receivers dedupe by Encore-Delivery). Webhooks drain on their own loop: an endpoint that takes
// seconds to answer delays other webhooks, never mail.
import { errorClass, publicFetch } from './address-guard.ts';
import type { Db } from '../platform/db/database.ts';
import { deactivateWebhookEndpoint, findDeliveryToSend, recordDeliveryOutcome } from './webhooks-db.ts';
import { SIGNATURE_HEADER, signWebhook } from './signature.ts';
import { backoffMinutes, JobError, type JobHandler } from '../platform/jobs/queue.ts';

export interface WebhookHandlerDeps {
  db: Db;
  now: () => Date;
  fetch?: typeof fetch;
  /** Requests at once (default 4): a slow endpoint holds one lane, not every delivery. */
  concurrency?: number;
  batchSize?: number;
  /** Must exceed twice the longest single request (REQUEST_TIMEOUT_MS; default 60). */
  leaseSeconds?: number;
  log?: (line: string) => void;
}

export interface WebhookPayloadRef {
  deliveryId: string;
}

/** Minutes to wait after the 1st, 2nd, … failure; later failures wait as long as the last. */
export const WEBHOOK_RETRY_MINUTES = [1, 5, 30, 120, 720];
export const WEBHOOK_MAX_ATTEMPTS = 8;
export const REQUEST_TIMEOUT_MS = 10_000;

const clip = (text: string) => text.slice(0, 500);
const statusOf = (detail: unknown) => (detail as { statusCode?: number | null } | undefined)?.statusCode ?? null;

export function createWebhookHandler(deps: WebhookHandlerDeps): JobHandler<WebhookPayloadRef> {
  const send = deps.fetch ?? publicFetch();
  const log = deps.log ?? ((line: string) => console.log(line));
  return {
    concurrency: deps.concurrency ?? 4,
    batchSize: deps.batchSize ?? 10,
    leaseSeconds: deps.leaseSeconds ?? 60,
    backoff: backoffMinutes(WEBHOOK_RETRY_MINUTES),
    maxAttempts: WEBHOOK_MAX_ATTEMPTS,

    async run(job) {
      const row = await findDeliveryToSend(deps.db, job.payload.deliveryId);
      if (!row) return { cancel: 'delivery gone' }; // its endpoint was deleted
      if (row.status !== 'pending') return { cancel: `delivery ${row.status}` };
      if (!row.endpoint_active) throw new JobError('endpoint disabled', { permanent: true, detail: { statusCode: null } });
      let status: number;
      let responseText = '';
      try {
        const response = await send(row.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'Encore-Webhooks/1',
            'Encore-Event': row.event_type,
            'Encore-Delivery': row.id,
            [SIGNATURE_HEADER]: signWebhook({ secret: row.secret, body: row.payload, now: deps.now() }),
          },
          body: row.payload,
          // A redirect is not followed: it could point the request anywhere, inside our network too.
          redirect: 'manual',
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        status = response.status;
        if (status < 200 || status >= 300) responseText = await response.text().catch(() => '');
        else await response.body?.cancel();
      } catch (error) {
        // A class of error only: socket details (addresses, ports, refused or not) would tell an
        // organizer what listens where.
        const reason = (error as { name?: string })?.name === 'TimeoutError' ? `no response within ${REQUEST_TIMEOUT_MS / 1000} s` : errorClass(error);
        throw new JobError(reason, { detail: { statusCode: null } });
      }
      if (status >= 200 && status < 300) return { detail: { statusCode: status, at: deps.now().toISOString() } };
      if (status === 410) {
        // The receiver says the endpoint is gone for good: stop sending anything to it.
        await deactivateWebhookEndpoint(deps.db, row.endpoint_id);
        log(`webhook ${row.id}: endpoint ${row.endpoint_id} answered 410, disabled`);
        throw new JobError(clip(`410 Gone, endpoint disabled ${responseText}`.trim()), { permanent: true, detail: { statusCode: 410 } });
      }
      throw new JobError(clip(`HTTP ${status} ${responseText}`.trim()), { detail: { statusCode: status } });
    },

    async record(trx, job, outcome) {
      if (outcome.status === 'cancelled') return; // the row is gone or already settled
      const id = job.payload.deliveryId;
      const attempts = job.attempt;
      const statusCode = statusOf(outcome.detail);
      if (outcome.status === 'done') {
        const at = (outcome.detail as { at: string }).at;
        await recordDeliveryOutcome(trx, id, { status: 'delivered', at, attempts, statusCode });
      } else if (outcome.status === 'retry') {
        await recordDeliveryOutcome(trx, id, { status: 'pending', dueAt: outcome.runAt, error: outcome.error, attempts, statusCode });
      } else {
        await recordDeliveryOutcome(trx, id, { status: 'failed', error: outcome.error, attempts, statusCode });
      }
    },
  };
}
