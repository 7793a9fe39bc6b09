// Carts: created with a hold, updated with items and buyer details, read back by their owner.
import type { CartView, CreateCartInput, Locale, UpdateCartInput } from '../contracts/widget.ts';
import { findEventById, findPerformance, listTicketTypes, type EventRow } from './catalogue-db.ts';
import { findCart, insertCart, lockCart, insertCartItems, listCartItems, replaceCartItems, updateCart, type CartRow } from './carts-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { asSold, assertAvailable, assertOnSale, extendedHold, newHold, validateItems } from './holds.ts';
import { hashSecret, newId, newSecret, secretMatches } from '../platform/ids.ts';
import { consentTextFor } from './consent-text.ts';
import { parseRecoverySettings } from '../contracts/recovery-settings.ts';
import { parseSettings } from './settings.ts';
import { mergeAnswers, answersRecord } from './buyer-fields.ts';
import type { Store } from '../store.ts';
import { holdNewCart, syncHold } from './inventory.ts';
import { applicableCode, usableCode, type CodeScope } from './promo-codes.ts';
import { discountAmount, discountLabel } from './discounts.ts';
import { localized } from '../platform/localized.ts';
import type { ClientLimits } from '../platform/config.ts';
import { assertClientShare, takeRate, type Client } from './grab-limits.ts';

/** Where a cart's code must apply: its organizer, event, performance and currency. */
export const cartScope = (cart: CartRow, event: EventRow): CodeScope => ({
  organizerId: cart.organizer_id,
  eventId: cart.event_id,
  performanceId: cart.performance_id,
  currency: event.currency,
});

export interface CartContext {
  cart: CartRow;
  event: EventRow;
}

/** Loads a cart for its owner: unknown id is NOT_FOUND, a wrong or missing token UNAUTHORIZED. */
export async function authorizeCart(db: Db, cartId: string, token: string | null): Promise<CartContext> {
  const cart = await findCart(db, cartId);
  if (!cart) throw new DomainError('NOT_FOUND', 'No such cart');
  if (!token || !secretMatches(token, cart.token_hash)) {
    throw new DomainError('UNAUTHORIZED', 'This cart needs its token: Authorization: Bearer <token>');
  }
  return { cart, event: await findEventById(db, cart.event_id) };
}

/** authorizeCart for a write transaction: the cart's row is locked first (lockCart). */
export async function authorizeCartForWrite(trx: Trx, cartId: string, token: string | null): Promise<CartContext> {
  await lockCart(trx, cartId);
  return authorizeCart(trx, cartId, token);
}

/** `client`: the browser client whose limits apply (grab-limits.ts); null for an API key's cart, or with the limits off. */
export async function createCart(store: Store, input: CreateCartInput, origin: (event: EventRow) => void, client: Client | null = null): Promise<CartView> {
  // Made before the write lock is taken: nothing in them depends on what the lock guards.
  const id = newId('crt');
  const token = newSecret();
  const tokenHash = hashSecret(token);
  return store.tx(async (trx) => {
    const now = store.now();
    const found = await findPerformance(trx, input.performanceId);
    if (!found) throw new DomainError('NOT_FOUND', 'No such performance', 'performanceId');
    const event = await findEventById(trx, found.event_id);
    const performance = asSold(found, event.organizer_settings);
    origin(event);
    if (client) await takeRate(trx, client, now);
    const settings = parseSettings(event.organizer_settings);
    assertOnSale(performance, now);
    const ticketTypes = await listTicketTypes(trx, event.id);
    const lines = validateItems(input.items, ticketTypes);
    if (lines.length === 0) throw new DomainError('VALIDATION', 'Choose at least one ticket', 'items');
    if (client) await assertClientShare(trx, client, performance.id, seatsIn(lines), now);

    const hold = newHold(now, settings.holdMinutes);
    const locale = input.locale ?? settings.defaultLocale;
    await insertCart(trx, {
      id,
      token_hash: tokenHash,
      organizer_id: event.organizer_id,
      event_id: event.id,
      performance_id: performance.id,
      status: 'open',
      hold_started_at: hold.startedAt,
      hold_expires_at: hold.expiresAt,
      consent: 0,
      consent_mode: settings.consentMode,
      locale,
      page_url: input.pageUrl ?? null,
      client_hash: client?.hash ?? null,
      created_at: now.toISOString(),
      last_activity_at: now.toISOString(),
    });
    await insertCartItems(trx, id, lines);
    // Last, after the writes nobody else waits for: the seat lock is held until the commit.
    await assertAvailable(trx, performance, ticketTypes, lines, now, input.items);
    await holdNewCart(trx, { id, performanceId: performance.id, expiresAt: hold.expiresAt }, lines);
    return { ...newCartView(id, performance.id, event, hold.expiresAt, lines, ticketTypes, locale), token };
  });
}

/** `limits`: the grab limits, applied to the client that made the cart (none for an API key's cart). */
export async function updateCartFor(
  store: Store,
  cartId: string,
  token: string | null,
  input: UpdateCartInput,
  origin: (event: EventRow) => void,
  limits: ClientLimits | null = null,
) {
  return store.tx(async (trx) => {
    const now = store.now();
    const { cart, event } = await authorizeCartForWrite(trx, cartId, token);
    origin(event);
    const client = limits && cart.client_hash ? { hash: cart.client_hash, limits } : null;
    if (cart.status !== 'open') throw new DomainError('CART_COMPLETED', 'This cart has already been checked out');
    const settings = parseSettings(event.organizer_settings);
    const performance = asSold((await findPerformance(trx, cart.performance_id))!, event.organizer_settings);
    const ticketTypes = await listTicketTypes(trx, event.id);
    const nowIso = now.toISOString();
    const locale = (input.locale ?? cart.locale) as Locale;
    const changes: Parameters<typeof updateCart>[2] = { last_activity_at: nowIso, locale };
    if (input.pageUrl) changes.page_url = input.pageUrl;

    const holdLive = cart.hold_expires_at !== null && cart.hold_expires_at > nowIso;
    if (input.items) {
      const lines = validateItems(input.items, ticketTypes);
      if (lines.length > 0) {
        assertOnSale(performance, now);
        if (client) await assertClientShare(trx, client, performance.id, seatsIn(lines), now, cart.id);
        await assertAvailable(trx, performance, ticketTypes, lines, now, input.items, cart.id);
      }
      await replaceCartItems(trx, cart.id, lines);
      Object.assign(changes, holdTimes(lines.length > 0, holdLive, cart.hold_started_at, now, settings.holdMinutes));
    } else {
      Object.assign(changes, await refreshHold(trx, cart, holdLive, now, settings.holdMinutes, performance, ticketTypes, client));
    }

    if (input.buyer) {
      const { email, name, phone, answers } = input.buyer;
      if (email !== undefined && email !== cart.buyer_email) {
        changes.buyer_email = email;
        changes.email_captured_at = nowIso;
        if (settings.consentMode === 'notice') {
          // What the buyer saw under the email field is the record of notice (none when no reminder is sent).
          changes.consent_text = consentTextFor(settings, parseRecoverySettings(event.organizer_settings), locale);
          changes.consent_at = changes.consent_text && nowIso;
        }
      }
      if (name !== undefined) changes.buyer_name = name;
      if (phone !== undefined) changes.buyer_phone = phone;
      if (answers) changes.buyer_answers = mergeAnswers(settings, cart.buyer_answers, answers);
    }
    // A code the buyer typed: it applies now, or the answer says why not (422, field discountCode).
    if (input.discountCode !== undefined) {
      changes.discount_code = input.discountCode ? (await applicableCode(trx, input.discountCode, cartScope(cart, event), now)).code : null;
    }
    if (input.consent !== undefined && settings.consentMode === 'opt-in') {
      // The box the buyer ticked said this; without reminders there is no box and nothing to agree to.
      const text = input.consent ? consentTextFor(settings, parseRecoverySettings(event.organizer_settings), locale) : null;
      changes.consent = text ? 1 : 0;
      changes.consent_text = text;
      changes.consent_at = text && nowIso;
    }
    await updateCart(trx, cart.id, changes);
    await syncHold(trx, cart.id, nowIso);
    return cartView(trx, cart.id, event, now);
  });
}

export function holdTimes(hasItems: boolean, holdLive: boolean, startedAt: string | null, now: Date, holdMinutes: number) {
  if (!hasItems) return { hold_started_at: null, hold_expires_at: null };
  if (holdLive && startedAt) return { hold_expires_at: extendedHold(startedAt, now, holdMinutes) };
  const hold = newHold(now, holdMinutes);
  return { hold_started_at: hold.startedAt, hold_expires_at: hold.expiresAt };
}

const seatsIn = (lines: { quantity: number }[]) => lines.reduce((sum, l) => sum + l.quantity, 0);

/**
 * Any activity keeps a live hold going. A lapsed hold is taken again only if every seat is
 * still free and its client is within its share (else lapsed carts would let it hold more); otherwise it stays lapsed and the cart says so (holdActive: false) — typing an
 * email must never fail because seats went elsewhere.
 */
async function refreshHold(
  trx: Trx,
  cart: CartRow,
  holdLive: boolean,
  now: Date,
  holdMinutes: number,
  performance: NonNullable<Awaited<ReturnType<typeof findPerformance>>>,
  ticketTypes: Awaited<ReturnType<typeof listTicketTypes>>,
  client: Client | null,
) {
  const items = await listCartItems(trx, cart.id);
  if (items.length === 0) return {};
  if (holdLive && cart.hold_started_at) return { hold_expires_at: extendedHold(cart.hold_started_at, now, holdMinutes) };
  const requested = items.map((i) => ({ ticketTypeId: i.ticket_type_id, quantity: i.quantity }));
  try {
    assertOnSale(performance, now);
    const lines = validateItems(requested, ticketTypes);
    if (client) await assertClientShare(trx, client, performance.id, seatsIn(lines), now, cart.id);
    await assertAvailable(trx, performance, ticketTypes, lines, now, requested, cart.id);
  } catch (error) {
    if (error instanceof DomainError) return {};
    throw error;
  }
  return holdTimes(true, false, null, now, holdMinutes);
}

export async function readCart(store: Store, cartId: string, token: string | null, origin: (event: EventRow) => void) {
  const { event } = await authorizeCart(store.db, cartId, token);
  origin(event);
  return cartView(store.db, cartId, event, store.now());
}

/** What cartView would read back for a cart just created with these lines: nothing is read. */
function newCartView(
  id: string,
  performanceId: string,
  event: EventRow,
  expiresAt: string,
  lines: { ticketTypeId: string; quantity: number; unitPrice: number }[],
  ticketTypes: Awaited<ReturnType<typeof listTicketTypes>>,
  locale: Locale,
): CartView {
  // In the catalogue's order, as listCartItems returns them.
  const items = ticketTypes.flatMap((t) => {
    const line = lines.find((l) => l.ticketTypeId === t.id && l.quantity > 0);
    return line
      ? [{ ticketTypeId: t.id, name: localized(t, locale).name, quantity: line.quantity, unitPrice: line.unitPrice, lineTotal: line.unitPrice * line.quantity }]
      : [];
  });
  const subtotal = items.reduce((sum, l) => sum + l.lineTotal, 0);
  return {
    id,
    status: 'open',
    expiresAt,
    holdActive: items.length > 0,
    performanceId,
    eventSlug: event.slug,
    currency: event.currency,
    items,
    subtotal,
    discount: null,
    total: subtotal,
    buyer: { email: null, name: null, phone: null, answers: {} },
    consent: { given: false, text: null, at: null },
    orderId: null,
  };
}

export async function cartView(db: Db, cartId: string, event: EventRow, now: Date): Promise<CartView> {
  const cart = (await findCart(db, cartId))!;
  const items = await listCartItems(db, cartId);
  // Names in the cart's locale: the one the widget last sent, else the organizer's default.
  const lines = items.map((i) => ({
    ticketTypeId: i.ticket_type_id,
    name: localized(i, cart.locale as Locale).name,
    quantity: i.quantity,
    unitPrice: i.unit_price,
    lineTotal: i.unit_price * i.quantity,
  }));
  const holdActive = cart.status === 'open' && lines.length > 0 && cart.hold_expires_at !== null && cart.hold_expires_at > now.toISOString();
  const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  const discount = cart.status === 'open' ? await usableCode(db, cart.discount_code, cartScope(cart, event), now) : null;
  const discountOff = discount ? discountAmount(discount, subtotal) : 0;
  return {
    id: cart.id,
    status: cart.status,
    expiresAt: cart.status === 'open' ? cart.hold_expires_at : null,
    holdActive,
    performanceId: cart.performance_id,
    eventSlug: event.slug,
    currency: event.currency,
    items: lines,
    subtotal,
    discount: discount ? { code: discount.code, label: discountLabel(discount, event.currency, cart.locale as Locale), amount: discountOff } : null,
    total: subtotal - discountOff,
    buyer: { email: cart.buyer_email, name: cart.buyer_name, phone: cart.buyer_phone, answers: answersRecord(cart.buyer_answers) },
    consent: { given: cart.consent === 1, text: cart.consent_text, at: cart.consent_at },
    orderId: cart.order_id,
  };
}
