// The order lifecycle around payments. Checkout makes an online order `pending_payment` with a
// payment row; the buyer is sent to /payments/start/{id}, which starts the payment at the
// provider outside any write transaction. A declined payment leaves the order pending: the buyer
// may start another payment for it (retryPayment) until it expires; its seats stay its own. The provider's notification is verified by the
// provider and applied here once: a payment leaves `pending` once (movePayment) and an order
// leaves a state once (moveOrder), so a duplicate notification, or one racing the expire job,
// cannot issue tickets twice. Money that arrives for an order whose seats are gone is never
// dropped: the payment becomes `refund_due` and is logged. A notification that never comes (or a
// crash before its commit) is made up for by reconciliation.ts, which asks the provider and
// applies the answer here, through the same applyVerified.
import type { Db, Trx } from '../platform/db/database.ts';
import { findPerformance, listTicketTypes } from '../sales/catalogue-db.ts';
import { findCart } from '../sales/carts-db.ts';
import { addSold, lockSeats, releaseSold } from '../sales/inventory.ts';
import { authorizeCartForWrite } from '../sales/cart-service.ts';
import { stopSeries } from '../recovery/recovery-db.ts';
import { releaseDiscount, retakeUse } from '../sales/promo-codes-db.ts';
import { DomainError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { giveBackUnpaidCart } from '../recovery/payment-abandonment.ts';
import { emailHash } from '../platform/signed-links.ts';
import type { Store } from '../store.ts';
import { emitOrderState, emitOrderWebhooks } from '../webhooks/events.ts';
import {
  countPayments,
  dueUnpaidOrders,
  findOrder,
  findPayment,
  findProviderPayment,
  insertPayment,
  moveOrder,
  movePayment,
  orderLines,
  orderTickets,
  recordStarted,
  type OrderRow,
} from './payments-db.ts';
import { paymentLines } from './payment-lines.ts';
import { FIRST_CHECK_MS, scheduleCheck, startedPendingPayments } from './reconciliation-db.ts';
import { NotificationRefused, ProviderUnavailable, type Notification, type PaymentOutcome, type Payments, type PaymentProvider } from './provider.ts';
import { parsePaymentSettings, type PaymentSettings } from './settings.ts';

/** The organizer's online provider, when they chose one this instance offers. */
export function onlineProvider(payments: Payments | undefined, organizerSettings: string): { provider: PaymentProvider; settings: PaymentSettings } | null {
  const settings = parsePaymentSettings(organizerSettings);
  const provider = settings.provider ? payments?.providers.get(settings.provider) : undefined;
  return provider ? { provider, settings } : null;
}

/** What completing an order sets off: the webhooks, and no more reminders for the event. */
export async function orderCompleted(trx: Trx, order: { id: string; organizer_id: string; event_id: string; buyer_email: string }, now: Date) {
  await emitOrderWebhooks(trx, { organizerId: order.organizer_id, orderId: order.id, now });
  await stopSeries(trx, { eventId: order.event_id, emailHash: emailHash(order.buyer_email) }, 'purchased');
}

/** In checkout's transaction: the payment for a new pending order; returns where the buyer goes. */
export async function createPayment(trx: Db, payments: Payments, order: { id: string; total: number; currency: string; provider: string }, now: Date) {
  const id = newId('pay');
  await insertPayment(trx, {
    id,
    order_id: order.id,
    provider: order.provider,
    provider_payment_id: null,
    redirect_url: null,
    amount: order.total,
    currency: order.currency,
    status: 'pending',
    idempotency_key: newId('idem'),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  });
  return `${payments.baseUrl}/payments/start/${id}`;
}

const organizerSettings = (db: Db, organizerId: string) =>
  db
    .selectFrom('organizers')
    .select('settings')
    .where('id', '=', organizerId)
    .executeTakeFirstOrThrow()
    .then((r) => r.settings);

/** The organizer's settings for `provider`; incomplete ones are ProviderUnavailable (nothing happens, retry after fixing). */
export async function organizerProviderSettings(db: Db, organizerId: string, provider: PaymentProvider) {
  return providerSettings(parsePaymentSettings(await organizerSettings(db, organizerId)), provider);
}

/** The organizer's settings for the provider; incomplete ones fail like an unreachable provider (nothing happens, retry after fixing). */
export function providerSettings(settings: PaymentSettings, provider: PaymentProvider) {
  const parsed = provider.settingsSchema.safeParse(settings.providers[provider.id] ?? {});
  if (!parsed.success)
    throw new ProviderUnavailable(`the organizer's ${provider.id} settings are incomplete: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

/** Where the buyer pays: the provider's page, started once (its idempotence key makes a retry the same payment). */
export async function startPayment(store: Store, payments: Payments, paymentId: string): Promise<string> {
  const payment = await findPayment(store.db, paymentId);
  if (!payment) throw new DomainError('NOT_FOUND', 'No such payment');
  if (payment.redirect_url) return payment.redirect_url;
  const order = (await findOrder(store.db, payment.order_id))!;
  if (payment.status !== 'pending' || order.status !== 'pending_payment') return returnUrl(payments, paymentId);
  const provider = payments.providers.get(payment.provider);
  if (!provider) throw new DomainError('NOT_FOUND', 'This payment method is no longer offered');
  const settings = parsePaymentSettings(await organizerSettings(store.db, order.organizer_id));
  const description = `Order ${order.number}`;
  const [tickets, types, event] = await Promise.all([
    orderTickets(store.db, order.id),
    listTicketTypes(store.db, order.event_id),
    store.db.selectFrom('events').select('title').where('id', '=', order.event_id).executeTakeFirst(),
  ]);
  const names = new Map(types.map((t) => [t.id, event ? `${event.title}: ${t.name}` : t.name]));
  const request = {
    paymentId,
    orderId: order.id,
    idempotencyKey: payment.idempotency_key,
    amount: payment.amount,
    currency: payment.currency,
    description,
    buyerEmail: order.buyer_email,
    lines: paymentLines(
      tickets.map((t) => ({ name: names.get(t.ticket_type_id) ?? description, price: t.price })),
      payment.amount,
      description,
    ),
    returnUrl: returnUrl(payments, paymentId),
    expiresAt: order.expires_at ?? store.now().toISOString(),
  };
  // Nothing is recorded when the provider fails: the same start (same idempotence key) may be retried.
  const started = await Promise.resolve()
    .then(() => provider.start(request, providerSettings(settings, provider)))
    .catch((error: unknown) => {
      if (!(error instanceof ProviderUnavailable)) throw error;
      payments.log(`payment ${payment.provider}:${paymentId} not started: ${error.message}`);
      throw new DomainError('PAYMENT_FAILED', 'The payment service did not answer; your tickets are still held, try again in a moment');
    });
  await store.tx(async (trx) => {
    const now = store.now();
    await recordStarted(trx, paymentId, started.providerPaymentId, started.redirectUrl, now.toISOString());
    // From now on the provider may take the money: if no notification says so, reconciliation asks.
    await scheduleCheck(trx, paymentId, new Date(now.getTime() + FIRST_CHECK_MS).toISOString());
  });
  return (await findPayment(store.db, paymentId))!.redirect_url!;
}

export const returnUrl = (payments: Payments, paymentId: string) => `${payments.baseUrl}/payments/return/${paymentId}`;

/** Back to the page the widget was on, with the marker it reads: `encore_order=<order id>`. */
export async function returnTarget(db: Db, payments: Payments, paymentId: string): Promise<string> {
  const payment = await findPayment(db, paymentId);
  if (!payment) throw new DomainError('NOT_FOUND', 'No such payment');
  const order = (await findOrder(db, payment.order_id))!;
  const cart = await findCart(db, order.cart_id);
  const url = new URL(cart?.page_url ?? `${payments.baseUrl}/`);
  url.searchParams.set('encore_order', order.id);
  return url.toString();
}

/**
 * A provider's notification: verified by the provider (NotificationRefused → the caller answers
 * 400), then applied once in a write transaction. Returns what it did, for the log and tests.
 */
export async function handleNotification(store: Store, payments: Payments, providerId: string, organizerId: string, n: Notification) {
  const provider = payments.providers.get(providerId);
  if (!provider) throw new DomainError('NOT_FOUND', 'No such payment provider');
  const settings = parsePaymentSettings(await organizerSettings(store.db, organizerId).catch(() => '{}'));
  // An organizer without this provider's settings cannot have been sent this: refuse it for good
  // (a 503 would have the provider send it again for days).
  const own = provider.settingsSchema.safeParse(settings.providers[provider.id] ?? {});
  if (!own.success) throw new NotificationRefused(`the organizer has no ${provider.id} settings to check it with`);
  const outcome = await provider.verifyNotification(n, own.data);
  if (outcome.status === 'pending') return 'pending';
  return applyVerified(store, payments, providerId, organizerId, outcome);
}

/** A verified outcome (a notification, or reconciliation's status poll) applied once in a write transaction. */
export async function applyVerified(store: Store, payments: Payments, providerId: string, organizerId: string, outcome: PaymentOutcome) {
  const result = await store.tx((trx) => applyOutcome(trx, payments, providerId, organizerId, outcome, store.now()));
  payments.log(`payment ${providerId}:${outcome.providerPaymentId} ${outcome.status}: ${result}`);
  return result;
}

export { NotificationRefused, ProviderUnavailable };

/**
 * Another payment for the cart's order after one was declined or abandoned: only while the order
 * waits for payment and its time has not run out (a new attempt does not extend it).
 */
/** Payments one order may start (the first included). */
export const MAX_PAYMENT_ATTEMPTS = 10;

export async function retryPayment(store: Store, payments: Payments, cartId: string, token: string | null) {
  return store.tx(async (trx) => {
    const now = store.now();
    const { cart } = await authorizeCartForWrite(trx, cartId, token);
    const order = cart.order_id ? await findOrder(trx, cart.order_id) : undefined;
    if (!order) throw new DomainError('NOT_FOUND', 'This cart has no order');
    if (order.status !== 'pending_payment' || (order.expires_at ?? '') <= now.toISOString()) {
      throw new DomainError('PAYMENT_FAILED', `This order is ${order.status === 'pending_payment' ? 'expired' : order.status}: it cannot be paid now`);
    }
    // Each attempt is a payment at the provider: a script replaying the button cannot make thousands.
    if ((await countPayments(trx, order.id)) >= MAX_PAYMENT_ATTEMPTS) {
      throw new DomainError('TOO_MANY_ATTEMPTS', `${MAX_PAYMENT_ATTEMPTS} payment attempts for this order; the box office can help`);
    }
    return {
      redirectUrl: await createPayment(trx, payments, { id: order.id, total: order.total, currency: order.currency, provider: order.payment_method }, now),
    };
  });
}

async function applyOutcome(trx: Trx, payments: Payments, providerId: string, organizerId: string, outcome: PaymentOutcome, now: Date) {
  const payment = await findProviderPayment(trx, providerId, outcome.providerPaymentId);
  const order = payment && (await findOrder(trx, payment.order_id));
  if (!payment || !order || order.organizer_id !== organizerId) return 'unknown payment';
  if (payment.status !== 'pending') return 'duplicate';
  const at = now.toISOString();
  if (outcome.status === 'declined') {
    await movePayment(trx, payment.id, 'pending', { status: 'declined', updated_at: at });
    return 'declined';
  }
  if (await moveOrder(trx, order.id, 'pending_payment', 'paid', { actor: providerId, at })) {
    await movePayment(trx, payment.id, 'pending', { status: 'succeeded', updated_at: at });
    await orderCompleted(trx, order, now);
    await emitOrderState(trx, { organizerId, orderId: order.id, type: 'order.paid', now });
    return 'paid';
  }
  // The order expired before the money arrived: take the seats again if free. A cancelled one
  // stays cancelled — the organizer ended it on purpose — and its money is owed back.
  if (order.status === 'expired' && (await retakeSeats(trx, order, at))) {
    // Its code's use was given back at the expiry: the order uses it again (counted even past the
    // code's limit — the buyer has paid the discounted price).
    if (order.discount_code) await retakeUse(trx, order.organizer_id, order.discount_code);
    await moveOrder(trx, order.id, order.status, 'paid', { actor: providerId, at, details: { seatsTakenAgain: true } });
    await movePayment(trx, payment.id, 'pending', { status: 'succeeded', updated_at: at });
    await orderCompleted(trx, order, now);
    await emitOrderState(trx, { organizerId, orderId: order.id, type: 'order.paid', now });
    return 'paid after expiry, seats taken again';
  }
  await movePayment(trx, payment.id, 'pending', { status: 'refund_due', updated_at: at });
  payments.log(
    `PAYMENT NEEDS REFUND: ${providerId} payment ${outcome.providerPaymentId} (${payment.amount} ${payment.currency}) succeeded for order ${order.number} (${order.id}), which is ${order.status === 'cancelled' ? 'cancelled' : `${order.status} and whose seats are gone`}`,
  );
  return 'refund due';
}

/** Counts the order's seats again if every one is still free; returns whether it did. */
async function retakeSeats(trx: Trx, order: OrderRow, at: string) {
  const lines = await orderLines(trx, order.id);
  const taken = await lockSeats(
    trx,
    [order.performance_id],
    lines.map((l) => l.ticketTypeId),
    at,
  );
  const types = await listTicketTypes(trx, order.event_id);
  const fits = lines.every((l) => {
    const type = types.find((t) => t.id === l.ticketTypeId);
    return type !== undefined && type.capacity - taken(order.performance_id, l.ticketTypeId) >= l.quantity;
  });
  if (fits && (await findPerformance(trx, order.performance_id))) await addSold(trx, order.performance_id, lines);
  return fits;
}

/**
 * Expires unpaid orders whose time is up — online orders whose payment time ran out, box-office
 * reservations past their limit (settings.ts reservation) — releasing their seats; at most `limit`
 * of each per call. With `payments`, then closes the expired orders' checkouts at the providers
 * that can (best-effort, outside the transaction), so a buyer cannot pay for released seats there.
 */
export async function expireUnpaidOrders(store: Store, limit = 200, payments?: Payments): Promise<number> {
  const { expired, open } = await store.tx(async (trx) => {
    const now = store.now();
    const at = now.toISOString();
    const open: { organizerId: string; provider: string; providerPaymentId: string }[] = [];
    let expired = 0;
    for (const status of ['pending_payment', 'reserved'] as const) {
      const due = await dueUnpaidOrders(trx, status, at, limit).execute();
      expired += due.length;
      for (const { id } of due) {
        const order = (await findOrder(trx, id))!;
        if (!(await moveOrder(trx, id, status, 'expired', { actor: 'system', at }))) continue;
        await releaseSold(trx, order.performance_id, await orderLines(trx, id));
        // A single-use reminder discount the order used is the buyer's again.
        if (order.discount_code) await releaseDiscount(trx, order.discount_code, id);
        // The buyer who never paid may be reminded (recovery/payment-abandonment.ts).
        await giveBackUnpaidCart(trx, order, now);
        await emitOrderState(trx, { organizerId: order.organizer_id, orderId: id, type: 'order.expired', now });
        // A payment the buyer may have made just now is asked about at once (reconciliation.ts):
        // a late success takes the seats again or becomes refund_due (applyOutcome).
        for (const p of await startedPendingPayments(trx, id)) {
          await scheduleCheck(trx, p.id, at);
          open.push({ organizerId: order.organizer_id, provider: p.provider, providerPaymentId: p.provider_payment_id! });
        }
      }
    }
    return { expired, open };
  });
  if (payments) for (const p of open) await closeCheckout(store, payments, p);
  return expired;
}

/** Closes an expired order's checkout at its provider; a failure is logged and changes nothing here. */
async function closeCheckout(store: Store, payments: Payments, p: { organizerId: string; provider: string; providerPaymentId: string }) {
  const provider = payments.providers.get(p.provider);
  if (!provider?.cancel) return;
  try {
    await provider.cancel(p.providerPaymentId, await organizerProviderSettings(store.db, p.organizerId, provider));
  } catch (error) {
    payments.log(`payment ${p.provider}:${p.providerPaymentId} not closed at the provider after its order expired: ${(error as Error).message}`);
  }
}
