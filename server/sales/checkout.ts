// Completing a cart into an order. One write transaction decides everything: whether this
// exact request was already answered, whether the seats are still the buyer's, and the order.
import { createHash } from 'node:crypto';
import type { CheckoutInput, CheckoutResponse, Locale, OrderView } from '../contracts/widget.ts';
import { findPerformance, listTicketTypes, type EventRow } from './catalogue-db.ts';
import { listCartItems, updateCart } from './carts-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { findIdempotentResponse, insertOrder, orderNumberTaken, rememberResponse } from './orders-db.ts';
import { authorizeCartForWrite } from './cart-service.ts';
import { DomainError } from '../platform/errors.ts';
import { asSold, assertAvailable, assertOnSale, validateItems } from './holds.ts';
import { newId, newOrderNumber, newTicketCode } from '../platform/ids.ts';
import type { Store } from '../store.ts';
import { addSold, syncHold } from './inventory.ts';
import { seriesRemindedSince } from '../recovery/recovery-db.ts';
import { cartScope } from './cart-service.ts';
import { applicableCode } from './promo-codes.ts';
import { takeUse } from './promo-codes-db.ts';
import { parseRecoverySettings } from '../contracts/recovery-settings.ts';
import { discountAmount } from './discounts.ts';
import { emailHash } from '../platform/signed-links.ts';
import { createPayment, onlineProvider, orderCompleted } from '../payments/lifecycle.ts';
import type { Payments } from '../payments/provider.ts';
import { parsePaymentSettings, reservationExpiry } from '../payments/settings.ts';
import { answersToKeep, assertRequiredFields } from './buyer-fields.ts';
import { parseSettings } from './settings.ts';
import { emitOrderState } from '../webhooks/events.ts';
import { localized } from '../platform/localized.ts';
import { orderAccessHash, orderPagePath, orderPageToken } from '../tickets/order-access.ts';

/**
 * An order is recovered if it completes through a resume link, or within the attribution
 * window after a reminder went to the same address for the same event.
 */
async function attributeRecovery(trx: Db, cart: { resumed_series_id: string | null; buyer_email: string | null }, event: EventRow, now: Date) {
  if (cart.resumed_series_id) return { seriesId: cart.resumed_series_id, via: 'link' as const };
  const days = parseRecoverySettings(event.organizer_settings).attributionDays;
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const series = await seriesRemindedSince(trx, event.id, emailHash(cart.buyer_email!), since);
  return series ? { seriesId: series.id, via: 'window' as const } : null;
}

export interface CheckoutResult {
  status: number;
  body: CheckoutResponse;
  replayed: boolean;
}

export async function checkout(
  store: Store,
  cartId: string,
  token: string | null,
  input: CheckoutInput,
  idempotencyKey: string | null,
  origin: (event: EventRow) => void,
): Promise<CheckoutResult> {
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  return store.tx(async (trx) => {
    const now = store.now();
    const { cart, event } = await authorizeCartForWrite(trx, cartId, token);
    origin(event);
    if (idempotencyKey) {
      const previous = await findIdempotentResponse(trx, cart.id, idempotencyKey);
      if (previous) {
        if (previous.request_hash !== requestHash) {
          throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
        }
        return { status: previous.status_code, body: JSON.parse(previous.response_body), replayed: true };
      }
    }
    if (cart.status !== 'open') throw new DomainError('CART_COMPLETED', 'This cart has already been checked out');
    if (!cart.buyer_email) throw new DomainError('BUYER_REQUIRED', 'An email address is needed for the tickets', 'buyer.email');
    if (!cart.buyer_name) throw new DomainError('BUYER_REQUIRED', 'A name is needed for the tickets', 'buyer.name');
    const settings = parseSettings(event.organizer_settings);
    assertRequiredFields(settings, cart);

    const performance = asSold((await findPerformance(trx, cart.performance_id))!, event.organizer_settings);
    assertOnSale(performance, now);
    const ticketTypes = await listTicketTypes(trx, event.id);
    const items = await listCartItems(trx, cart.id);
    if (items.length === 0) throw new DomainError('VALIDATION', 'The cart is empty', 'items');
    const requested = items.map((i) => ({ ticketTypeId: i.ticket_type_id, quantity: i.quantity }));
    // Prices come from the ticket types now, never from the client or an old cart line.
    const lines = validateItems(requested, ticketTypes);
    const holdLive = cart.hold_expires_at !== null && cart.hold_expires_at > now.toISOString();
    if (!holdLive) {
      // The hold lapsed; sell anyway if every seat is still free, else say the hold expired.
      try {
        await assertAvailable(trx, performance, ticketTypes, lines, now, requested, cart.id);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'SOLD_OUT') {
          throw new DomainError('HOLD_EXPIRED', `Your hold expired and the tickets were taken. ${error.message}`, error.field);
        }
        throw error;
      }
    }

    const answers = answersToKeep(settings, cart.buyer_answers);
    const { order, payment } = await createOrder(trx, {
      cart,
      event,
      lines,
      ticketTypes,
      answers,
      now,
      payments: store.payments,
      startsAt: performance.starts_at,
    });
    await updateCart(trx, cart.id, {
      status: 'completed',
      completed_at: now.toISOString(),
      last_activity_at: now.toISOString(),
      order_id: order.id,
      hold_expires_at: null,
    });
    await syncHold(trx, cart.id, now.toISOString());
    const body: CheckoutResponse = payment ? { order, payment } : { order };
    if (idempotencyKey) {
      await rememberResponse(trx, {
        cart_id: cart.id,
        key: idempotencyKey,
        request_hash: requestHash,
        status_code: 201,
        response_body: JSON.stringify(body),
        created_at: now.toISOString(),
      });
    }
    return { status: 201, body, replayed: false };
  });
}

async function createOrder(
  trx: Trx,
  args: {
    cart: Awaited<ReturnType<typeof authorizeCartForWrite>>['cart'];
    event: EventRow;
    lines: ReturnType<typeof validateItems>;
    ticketTypes: Awaited<ReturnType<typeof listTicketTypes>>;
    answers: Record<string, string>;
    now: Date;
    payments: Payments | undefined;
    /** The performance's start: a box-office reservation ends before it. */
    startsAt: string;
  },
): Promise<{ order: OrderView; payment?: { redirectUrl: string } }> {
  const { cart, event, lines, ticketTypes, answers, now } = args;
  const subtotal = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  // The cart's code must still apply: a price that changed under the buyer is refused with the
  // reason (field discountCode), not charged. Its use is taken below, conditionally.
  const discount = cart.discount_code ? await applicableCode(trx, cart.discount_code, cartScope(cart, event), now) : null;
  const discountOff = discount ? discountAmount(discount, subtotal) : 0;
  const total = subtotal - discountOff;
  const recovered = await attributeRecovery(trx, cart, event, now);
  // Free orders are paid; with an online provider the order waits for its payment, keeping its
  // seats until the payment timeout (the hold, extended); otherwise it is reserved for the box office.
  const online = total > 0 ? onlineProvider(args.payments, event.organizer_settings) : null;
  const paymentMethod = total === 0 ? 'free' : (online?.provider.id ?? 'box_office');
  const status = total === 0 ? 'paid' : online ? 'pending_payment' : 'reserved';
  const expiresAt = online
    ? new Date(now.getTime() + online.settings.timeoutMinutes * 60_000).toISOString()
    : status === 'reserved'
      ? reservationExpiry(parsePaymentSettings(event.organizer_settings).reservation, now, args.startsAt)
      : null;
  // A reservation that would end before it was made: the organizer's limit before the show has passed.
  if (status === 'reserved' && expiresAt !== null && expiresAt <= now.toISOString()) {
    throw new DomainError('SALES_CLOSED', 'Reservations for this performance have closed; tickets are sold at the box office');
  }
  let number = newOrderNumber();
  while (await orderNumberTaken(trx, number)) number = newOrderNumber();
  const orderId = newId('ord');
  const pageToken = await orderPageToken(trx, orderId);
  const createdAt = now.toISOString();
  const tickets = lines.flatMap((line) =>
    Array.from({ length: line.quantity }, () => ({
      id: newId('tkt'),
      order_id: orderId,
      performance_id: cart.performance_id,
      ticket_type_id: line.ticketTypeId,
      code: newTicketCode(),
      price: line.unitPrice,
      created_at: createdAt,
    })),
  );
  await insertOrder(
    trx,
    {
      id: orderId,
      number,
      organizer_id: cart.organizer_id,
      event_id: event.id,
      performance_id: cart.performance_id,
      cart_id: cart.id,
      buyer_email: cart.buyer_email!,
      buyer_name: cart.buyer_name!,
      buyer_phone: cart.buyer_phone,
      buyer_answers: Object.keys(answers).length ? JSON.stringify(answers) : null,
      total,
      currency: event.currency,
      status,
      payment_method: paymentMethod,
      created_at: createdAt,
      expires_at: expiresAt,
      subtotal,
      discount_code: discount?.code ?? null,
      discount_amount: discountOff,
      recovered_series_id: recovered?.seriesId ?? null,
      recovered_via: recovered?.via ?? null,
      access_token_hash: orderAccessHash(pageToken),
    },
    tickets,
  );
  await addSold(trx, cart.performance_id, lines);
  if (discount && !(await takeUse(trx, discount.id))) throw new DomainError('PROMO_CODE_USED_UP', 'This code has been used up', 'discountCode');
  // The buyer is back (once paid, for an online order): webhooks, and no more reminders for this event.
  const row = { id: orderId, organizer_id: cart.organizer_id, event_id: event.id, buyer_email: cart.buyer_email! };
  if (!online) await orderCompleted(trx, row, now);
  if (status === 'paid') await emitOrderState(trx, { organizerId: cart.organizer_id, orderId, type: 'order.paid', now });
  const payment = online && {
    redirectUrl: await createPayment(trx, args.payments!, { id: orderId, total, currency: event.currency, provider: online.provider.id }, now),
  };
  // The tickets' names as the cart showed them, in its locale.
  const names = new Map(ticketTypes.map((t) => [t.id, localized(t, cart.locale as Locale).name]));
  const order: OrderView = {
    id: orderId,
    number,
    status,
    subtotal,
    discount: discount ? { code: discount.code, amount: discountOff } : null,
    total,
    currency: event.currency,
    paymentMethod,
    buyer: { email: cart.buyer_email!, name: cart.buyer_name!, phone: cart.buyer_phone, answers },
    performanceId: cart.performance_id,
    expiresAt,
    // An order waiting for its payment has no tickets to show yet.
    tickets: online ? [] : tickets.map((t) => ({ code: t.code, ticketTypeId: t.ticket_type_id, name: names.get(t.ticket_type_id)!, price: t.price })),
    page: orderPagePath(pageToken),
  };
  return payment ? { order, payment } : { order };
}
