// The buyer's order mail as jobs of the queue (kind `order_mail`): the confirmation when an order
// is reserved or paid, and notices when it is cancelled, a reservation expires or it is refunded.
// Queued in the transaction that moves the order (payments-db moveOrder, orders insertOrder), so
// a mail exists exactly when the change does; sent by the runner beside reminders and webhooks,
// on its own lane. Transactional: the marketing suppression list (unsubscribed from reminders)
// does not apply, and there is no unsubscribe. A mail whose order has moved on since (a
// confirmation for an order refunded meanwhile) is not sent.
import type { Db, Trx } from '../platform/db/database.ts';
import type { OrderStatus } from '../platform/db/schema.ts';
import { backoffMinutes, enqueue, type JobHandler } from '../platform/jobs/queue.ts';
import { senderFields } from '../platform/mail/sender.ts';
import { isPermanentFailure, type MailTransport } from '../platform/mail/transport.ts';
import { buildOrderMail } from './confirmation-mail.ts';
import type { OrderMailKind } from './i18n.ts';

export interface OrderMailPayload {
  orderId: string;
  kind: OrderMailKind;
}

/** What the buyer is told when their order moves from `from` to `to` (null: nothing). */
export function orderNotice(from: OrderStatus | null, to: OrderStatus): OrderMailKind | null {
  if (to === 'paid' || (to === 'reserved' && from === null)) return 'confirmation';
  if (to === 'cancelled') return 'cancelled';
  if (to === 'refunded') return 'refunded';
  // An online order whose payment time ran out gets the payment-abandonment reminders instead.
  if (to === 'expired' && from === 'reserved') return 'expired';
  return null;
}

/**
 * Queues the mail in the caller's transaction; the key keeps one mail per order and state. It goes
 * to the order's address as it is when sent: a mail still retrying after the box office corrected
 * the address goes to the corrected one, never the old.
 */
export function queueOrderMail(trx: Trx, o: { orderId: string; kind: OrderMailKind; now: Date; state: string }) {
  const payload: OrderMailPayload = { orderId: o.orderId, kind: o.kind };
  return enqueue(trx, { kind: 'order_mail', dedupeKey: `${o.kind}:${o.orderId}:${o.state}`, payload, now: o.now });
}

export interface OrderMailHandlerDeps {
  db: Db;
  now: () => Date;
  transport: MailTransport;
  /** MAIL_FROM: the address; the display name is the organizer's. */
  from: string;
  /** The API's public origin: the order page and its documents are under it. */
  publicBaseUrl: string;
}

/** Minutes to wait after the 1st, 2nd, … temporary failure; tickets matter, so it keeps trying for a day. */
const RETRY_MINUTES = [1, 5, 15, 60, 240, 720];

export function createOrderMailHandler(deps: OrderMailHandlerDeps): JobHandler<OrderMailPayload> {
  return {
    concurrency: 2,
    batchSize: 10,
    leaseSeconds: 300,
    backoff: backoffMinutes(RETRY_MINUTES),
    maxAttempts: RETRY_MINUTES.length + 1,
    isPermanent: isPermanentFailure,
    async run(job) {
      const mail = await buildOrderMail(deps.db, job.payload.orderId, job.payload.kind, { publicBaseUrl: deps.publicBaseUrl });
      if (!mail) return { cancel: 'the order has moved on' };
      const { sender, ...message } = mail;
      await deps.transport.sendMail({
        ...message,
        ...senderFields(deps.from, sender),
        // Deterministic: a duplicate sent after a crash is recognisable as the same mail.
        messageId: `<${job.id}@encore>`,
        date: deps.now(),
      });
    },
  };
}
