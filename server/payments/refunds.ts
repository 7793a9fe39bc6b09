// Refunds: asked for in the console, or owed because money arrived for an order whose seats were
// gone (a `refund_due` payment). Crash-safe and exactly once: the refund is recorded `pending`
// with its own idempotency key in a write transaction first (admitted only if it fits in what is
// left of the order's total), the provider is called outside any transaction, and the refund is
// finished in another. If the provider cannot be reached, or we crash before finishing, the refund
// stays pending and the recovery loop (runRefundJobs) calls the provider again with the same key,
// which the provider deduplicates. Money handed back at the desk (a box-office order) is recorded
// as refunded at once, with no provider. A refund that gives back all the order's money makes
// the order `refunded`: its seats go back on sale and its tickets stop counting.
import { listTicketTypes } from '../sales/catalogue-db.ts';
import { findConsoleOrder } from '../console/orders-db.ts';
import { lockOrder } from '../sales/orders-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { releaseSold } from '../sales/inventory.ts';
import { recordOrderEvent } from '../sales/order-events-db.ts';
import { DomainError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Store } from '../store.ts';
import { emitOrderState } from '../webhooks/events.ts';
import { providerSettings } from './lifecycle.ts';
import type { Payments } from './provider.ts';
import { paymentLines } from './payment-lines.ts';
import { findOrder, findPayment, moveOrder, movePayment, orderLines, orderTickets } from './payments-db.ts';
import { ProviderUnavailable, type RefundDetails } from './provider.ts';
import {
  claimRefund,
  dueRefunds,
  findRefund,
  insertRefund,
  moveRefund,
  refundDuePayments,
  refundedTotal,
  reserveRefund,
  succeededPayment,
  unreserveRefund,
  type RefundRow,
} from './refunds-db.ts';
import { parsePaymentSettings } from './settings.ts';

/** A request's own attempt runs first; the loop takes a refund over from then on. */
const FIRST_RETRY_MS = 60_000;
/** How long one attempt owns a refund: other workers skip it meanwhile. */
const ATTEMPT_LEASE_MS = 5 * 60_000;
/** After this many attempts the provider is taken at its word: the refund failed. */
export const MAX_REFUND_ATTEMPTS = 12;
/** Between attempts: 1, 2, 4 … minutes, at most 6 hours (12 attempts span about a day and a half). */
const backoffMs = (attempts: number) => Math.min(2 ** Math.max(attempts - 1, 0), 360) * 60_000;

const later = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

export interface RefundRequest {
  organizerId: string;
  orderId: string;
  /** Minor units; everything not yet refunded when absent. */
  amount?: number;
  reason?: string;
  /** Who asks: the console user's email or `api key: <name>`. */
  actor: string;
}

/** A refund from the console: recorded, then sent to the provider that took the money. */
export async function requestRefund(store: Store, payments: Payments | undefined, r: RefundRequest): Promise<RefundRow> {
  const refundId = await store.tx((trx) => recordRefund(trx, r, store.now()));
  const refund = (await findRefund(store.db, refundId))!;
  return refund.status === 'pending' ? attemptRefund(store, payments, refund) : refund;
}

/**
 * In a write transaction: admits the refund if the order is paid and it fits in what is left,
 * and records it (pending for a provider; succeeded at once for money handed back at the desk).
 */
export async function recordRefund(trx: Trx, r: RefundRequest, now: Date): Promise<string> {
  await lockOrder(trx, r.orderId);
  const order = await findConsoleOrder(trx, r.organizerId, r.orderId);
  if (!order) throw new DomainError('NOT_FOUND', 'No such order');
  if (order.status !== 'paid') throw new DomainError('ORDER_STATE', `Only a paid order can be refunded; this one is ${order.status}`);
  const left = order.total - order.refunded_amount;
  const amount = r.amount ?? left;
  if (left <= 0) throw new DomainError('VALIDATION', 'Nothing is left to refund on this order', 'amount');
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > left) {
    throw new DomainError('VALIDATION', `A refund is 1 to ${left} (minor units): what is paid and not yet refunded`, 'amount');
  }
  // A provider took the money unless the order was paid at the desk (or cost nothing).
  const payment = ['box_office', 'free'].includes(order.payment_method) ? undefined : await succeededPayment(trx, order.id);
  if (!payment && !['box_office', 'free'].includes(order.payment_method)) {
    throw new DomainError('ORDER_STATE', 'This order has no payment a provider could refund');
  }
  // The guard: one conditional update, so two refunds read together cannot both pass the total.
  if (!(await reserveRefund(trx, order.id, amount))) {
    throw new DomainError('ORDER_STATE', 'The order changed meanwhile (another refund?): reload it and try again');
  }
  const at = now.toISOString();
  const id = newId('rfd');
  await insertRefund(trx, {
    id,
    order_id: order.id,
    payment_id: payment?.id ?? null,
    provider: payment?.provider ?? 'box_office',
    amount,
    currency: order.currency,
    status: 'pending',
    reason: r.reason?.trim() || null,
    actor: r.actor,
    idempotency_key: newId('idem'),
    next_attempt_at: later(now, FIRST_RETRY_MS),
    created_at: at,
    updated_at: at,
  });
  await recordOrderEvent(trx, {
    orderId: order.id,
    at,
    actor: r.actor,
    action: 'refund_requested',
    details: { refund: id, amount, reason: r.reason?.trim() || null },
  });
  if (!payment) await finishRefund(trx, (await findRefund(trx, id))!, now);
  return id;
}

/** One call to the provider for a pending refund, and its outcome recorded. */
async function attemptRefund(store: Store, payments: Payments | undefined, refund: RefundRow): Promise<RefundRow> {
  const log = payments?.log ?? (() => {});
  try {
    await callProvider(store, payments, refund);
  } catch (error) {
    const message = (error as Error).message;
    const now = store.now();
    const attempts = refund.attempts + 1;
    if (error instanceof ProviderUnavailable && attempts < MAX_REFUND_ATTEMPTS) {
      await store.tx((trx) =>
        moveRefund(trx, refund.id, 'pending', {
          attempts,
          last_error: message,
          next_attempt_at: later(now, backoffMs(attempts)),
          updated_at: now.toISOString(),
        }),
      );
      log(`refund ${refund.id} (${refund.provider}) not done yet, attempt ${attempts}: ${message}`);
    } else {
      await store.tx((trx) => failRefund(trx, refund, attempts, message, now));
      log(`REFUND FAILED: ${refund.id} (${refund.provider}, ${refund.amount} ${refund.currency}) for order ${refund.order_id}: ${message}`);
    }
    return (await findRefund(store.db, refund.id))!;
  }
  await store.tx((trx) => finishRefund(trx, refund, store.now()));
  log(`refund ${refund.id} (${refund.provider}, ${refund.amount} ${refund.currency}) for order ${refund.order_id} succeeded`);
  return (await findRefund(store.db, refund.id))!;
}

/** The provider's refund call with its 54-FZ receipt lines, under the refund's own idempotency key. */
async function callProvider(store: Store, payments: Payments | undefined, refund: RefundRow) {
  const payment = refund.payment_id ? await findPayment(store.db, refund.payment_id) : undefined;
  const provider = payments?.providers.get(refund.provider);
  if (!payment?.provider_payment_id || !provider) throw new ProviderUnavailable(`the ${refund.provider} provider is not offered by this instance`);
  const order = (await findOrder(store.db, refund.order_id))!;
  const organizer = await store.db.selectFrom('organizers').select('settings').where('id', '=', order.organizer_id).executeTakeFirstOrThrow();
  const settings = providerSettings(parsePaymentSettings(organizer.settings), provider);
  const details: RefundDetails = {
    idempotencyKey: refund.idempotency_key,
    currency: refund.currency,
    buyerEmail: order.buyer_email,
    lines: await refundLines(store.db, order, refund.amount),
  };
  await provider.refund(payment.provider_payment_id, refund.amount, settings, details);
}

/** The receipt's lines for `amount`: the order's tickets with the refund spread over them, none of zero. */
async function refundLines(db: Db, order: NonNullable<Awaited<ReturnType<typeof findOrder>>>, amount: number) {
  const description = `Order ${order.number}`;
  const [tickets, types, event] = await Promise.all([
    orderTickets(db, order.id),
    listTicketTypes(db, order.event_id),
    db.selectFrom('events').select('title').where('id', '=', order.event_id).executeTakeFirst(),
  ]);
  const names = new Map(types.map((t) => [t.id, event ? `${event.title}: ${t.name}` : t.name]));
  const lines = paymentLines(
    tickets.map((t) => ({ name: names.get(t.ticket_type_id) ?? description, price: t.price })),
    amount,
    description,
  );
  return lines.filter((l) => l.unitAmount > 0);
}

/**
 * In a write transaction, once: the refund succeeded. The order is `refunded` when all its money
 * is back (seats released); the payment is `refunded` when all of it is; `order.refunded` is
 * emitted for every refund with its amount and the order's total refunded.
 */
export async function finishRefund(trx: Trx, refund: RefundRow, now: Date) {
  const at = now.toISOString();
  if (
    !(await moveRefund(trx, refund.id, 'pending', {
      status: 'succeeded',
      attempts: refund.attempts + 1,
      last_error: null,
      next_attempt_at: null,
      updated_at: at,
    }))
  )
    return;
  const order = (await findOrder(trx, refund.order_id))!;
  const refunded = await refundedTotal(trx, order.id);
  await recordOrderEvent(trx, {
    orderId: order.id,
    at,
    actor: refund.actor,
    action: 'refund_succeeded',
    details: { refund: refund.id, amount: refund.amount, refunded },
  });
  if (order.status === 'paid' && refunded >= order.total) {
    await moveOrder(trx, order.id, 'paid', 'refunded', { actor: refund.actor, at, details: { refunded } });
    await releaseSold(trx, order.performance_id, await orderLines(trx, order.id));
  }
  const payment = refund.payment_id ? await findPayment(trx, refund.payment_id) : undefined;
  if (payment && (payment.status === 'succeeded' || payment.status === 'refunding') && (await refundedTotal(trx, order.id, payment.id)) >= payment.amount) {
    await movePayment(trx, payment.id, payment.status, { status: 'refunded', updated_at: at }, refund.actor);
  }
  await emitOrderState(trx, {
    organizerId: order.organizer_id,
    orderId: order.id,
    type: 'order.refunded',
    now,
    dedupe: `order.refunded:${refund.id}`,
    data: { refund: { id: refund.id, amount: refund.amount, currency: refund.currency, reason: refund.reason }, refunded },
  });
}

/** In a write transaction, once: the provider refused the refund for good; its amount no longer counts. */
async function failRefund(trx: Db, refund: RefundRow, attempts: number, message: string, now: Date) {
  const at = now.toISOString();
  if (!(await moveRefund(trx, refund.id, 'pending', { status: 'failed', attempts, last_error: message, next_attempt_at: null, updated_at: at }))) return;
  const order = (await findOrder(trx, refund.order_id))!;
  // Only console refunds of paid orders were counted against the order (refund_due ones never were).
  if (refund.payment_id === null || (await findPayment(trx, refund.payment_id))?.status !== 'refunding') await unreserveRefund(trx, order.id, refund.amount);
  await recordOrderEvent(trx, {
    orderId: order.id,
    at,
    actor: 'system',
    action: 'refund_failed',
    details: { refund: refund.id, amount: refund.amount, error: message },
  });
}

/**
 * The recovery loop's refund step: every `refund_due` payment gets a refund (recorded, then sent),
 * and pending refunds that are due are sent again with their own idempotency key. Each is claimed
 * first (claimRefund), so workers in other processes skip it while one attempt runs.
 */
export async function runRefundJobs(store: Store, payments: Payments, limit = 50) {
  const owed = await store.tx(async (trx) => {
    const now = store.now();
    const at = now.toISOString();
    let n = 0;
    for (const p of await refundDuePayments(trx, limit).execute()) {
      if (!(await movePayment(trx, p.id, 'refund_due', { status: 'refunding', updated_at: at }, 'system'))) continue;
      const id = newId('rfd');
      await insertRefund(trx, {
        id,
        order_id: p.order_id,
        payment_id: p.id,
        provider: p.provider,
        amount: p.amount,
        currency: p.currency,
        status: 'pending',
        reason: 'Paid after the order had ended: the money goes back',
        actor: 'system',
        idempotency_key: newId('idem'),
        next_attempt_at: at,
        created_at: at,
        updated_at: at,
      });
      await recordOrderEvent(trx, {
        orderId: p.order_id,
        at,
        actor: 'system',
        action: 'refund_requested',
        details: { refund: id, amount: p.amount, payment: p.id },
      });
      payments.log(`refund ${id} of ${p.provider} payment ${p.id} (${p.amount} ${p.currency}) owed back: sending it`);
      n++;
    }
    return n;
  });
  const now = store.now();
  const due = await dueRefunds(store.db, now.toISOString(), limit).execute();
  let succeeded = 0;
  let pending = 0;
  let failed = 0;
  for (const { id } of due) {
    const claimed = await store.tx((trx) => claimRefund(trx, id, now.toISOString(), later(now, ATTEMPT_LEASE_MS)));
    if (!claimed) continue;
    const after = await attemptRefund(store, payments, (await findRefund(store.db, id))!);
    if (after.status === 'succeeded') succeeded++;
    else if (after.status === 'failed') failed++;
    else pending++;
    await store.giveWay?.();
  }
  return { owed, succeeded, pending, failed };
}
