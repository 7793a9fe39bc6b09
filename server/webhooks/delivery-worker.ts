// Delivers queued webhooks, like the mail outbox worker: rows are claimed under a lease in one
// write transaction, then sent one at a time, each marked right after its request — so a crash
// re-sends at most the delivery in flight (receivers dedupe by Encore-Delivery), and a row whose
// worker died is picked up again when its lease runs out.
import type { Db, WriteTransaction } from '../db/database.ts';
import {
  claimDueWebhookDeliveries,
  deactivateWebhookEndpoint,
  markWebhookDelivered,
  markWebhookFailed,
  markWebhookRetry,
  releaseWebhookClaim,
  type ClaimedDelivery,
} from '../db/webhooks.ts';
import { SIGNATURE_HEADER, signWebhook } from '../domain/webhook-signature.ts';

export interface WebhookWorkerDeps {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  fetch?: typeof fetch;
  batchSize?: number;
  /** Must exceed twice the longest single request (REQUEST_TIMEOUT_MS). */
  leaseSeconds?: number;
  log?: (line: string) => void;
}

export interface WebhookRunResult {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

/** Minutes to wait after the 1st, 2nd, … failure; later failures wait as long as the last. */
export const WEBHOOK_RETRY_MINUTES = [1, 5, 30, 120, 720];
export const WEBHOOK_MAX_ATTEMPTS = 8;
export const REQUEST_TIMEOUT_MS = 10_000;

const clip = (text: string) => text.slice(0, 500);

export function createWebhookDeliveryWorker(deps: WebhookWorkerDeps) {
  const batchSize = deps.batchSize ?? 10;
  const leaseMs = (deps.leaseSeconds ?? 60) * 1000;
  const send = deps.fetch ?? fetch;
  const log = deps.log ?? ((line: string) => console.log(line));

  async function deliver(row: ClaimedDelivery, result: WebhookRunResult) {
    if (!row.endpoint_active) {
      await markWebhookFailed(deps.db, row, { statusCode: null, error: 'endpoint disabled' });
      result.failed += 1;
      return;
    }
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
      const e = error as { name?: string; message?: string; cause?: { code?: string } };
      const reason = e?.name === 'TimeoutError' ? `no response within ${REQUEST_TIMEOUT_MS / 1000} s` : `${e?.cause?.code ?? e?.message ?? error}`;
      return retryOrFail(row, null, clip(reason), result);
    }
    if (status >= 200 && status < 300) {
      await markWebhookDelivered(deps.db, row, { at: deps.now().toISOString(), statusCode: status });
      result.delivered += 1;
    } else if (status === 410) {
      // The receiver says the endpoint is gone for good: stop sending anything to it.
      await deactivateWebhookEndpoint(deps.db, row.endpoint_id);
      await markWebhookFailed(deps.db, row, { statusCode: 410, error: clip(`410 Gone, endpoint disabled ${responseText}`.trim()) });
      result.failed += 1;
      log(`webhook ${row.id}: endpoint ${row.endpoint_id} answered 410, disabled`);
    } else {
      await retryOrFail(row, status, clip(`HTTP ${status} ${responseText}`.trim()), result);
    }
  }

  async function retryOrFail(row: ClaimedDelivery, statusCode: number | null, error: string, result: WebhookRunResult) {
    if (row.attempts >= WEBHOOK_MAX_ATTEMPTS) {
      await markWebhookFailed(deps.db, row, { statusCode, error });
      result.failed += 1;
      log(`webhook ${row.id}: failed after ${row.attempts} attempts: ${error}`);
      return;
    }
    const minutes = WEBHOOK_RETRY_MINUTES[Math.min(row.attempts, WEBHOOK_RETRY_MINUTES.length) - 1]!;
    const dueAt = new Date(deps.now().getTime() + minutes * 60_000).toISOString();
    await markWebhookRetry(deps.db, row, { dueAt, statusCode, error });
    result.retried += 1;
  }

  async function runOnce(): Promise<WebhookRunResult> {
    const startedAt = deps.now();
    const leaseUntil = new Date(startedAt.getTime() + leaseMs);
    const rows = await deps.tx((trx) =>
      claimDueWebhookDeliveries(trx, { now: startedAt.toISOString(), leaseUntil: leaseUntil.toISOString(), limit: batchSize }),
    );
    const result: WebhookRunResult = { claimed: rows.length, delivered: 0, retried: 0, failed: 0 };
    for (const [i, row] of rows.entries()) {
      // Past half the lease, another worker may soon take these rows: hand them back instead
      // of racing it into a duplicate delivery.
      if (leaseUntil.getTime() - deps.now().getTime() < leaseMs / 2) {
        for (const rest of rows.slice(i)) await releaseWebhookClaim(deps.db, rest);
        break;
      }
      await deliver(row, result);
    }
    return result;
  }

  return { runOnce };
}
