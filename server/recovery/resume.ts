// Following a reminder's link: the widget sends the token, gets the same cart back with a fresh
// cart token (the link may open on another device), the seats held again where still free, the
// step's discount applied, and plain facts about anything that is gone.
import type { CartView, Locale, ResumeResponse } from '../contracts/widget.ts';
import { findEventById, findPerformance, listTicketTypes, listUpcomingPerformances, takenSeats, type EventRow } from '../sales/catalogue-db.ts';
import { findCart, listCartItems, lockCart, replaceCartItems, updateCart } from '../sales/carts-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { findDiscountForStep, findSeries, recordClick } from './recovery-db.ts';
import { cartView, holdTimes } from '../sales/cart-service.ts';
import { DomainError } from '../platform/errors.ts';
import { hashSecret, newId, newSecret } from '../platform/ids.ts';
import { localized } from '../platform/localized.ts';
import { parseSettings } from '../sales/settings.ts';
import { asSold } from '../sales/holds.ts';
import { openResumeToken } from '../platform/signed-links.ts';
import type { Store } from '../store.ts';
import { lockSeats, syncHold } from '../sales/inventory.ts';
import { findOrder } from '../payments/payments-db.ts';
import { paidAfterAll } from './payment-abandonment.ts';

/** a***@example.com: enough for the buyer to know which address, not enough to learn it. */
export const maskEmail = (email: string) => `${email.slice(0, 1)}***${email.slice(email.indexOf('@'))}`;

export async function resumeCart(store: Store, secret: string, token: string, origin: (event: EventRow) => void, device?: string): Promise<ResumeResponse> {
  const now = store.now();
  const opened = openResumeToken(secret, token, now);
  if (!opened.ok) {
    if (opened.reason === 'expired') throw new DomainError('RESUME_EXPIRED', 'This reminder link has expired', 'token');
    throw new DomainError('RESUME_INVALID', 'This reminder link is not valid', 'token');
  }
  return store.tx(async (trx) => {
    const series = await findSeries(trx, opened.claim.seriesId);
    if (!series) throw new DomainError('RESUME_INVALID', 'This reminder link is not valid', 'token');
    await lockCart(trx, series.cart_id);
    const cart = (await findCart(trx, series.cart_id))!;
    const event = await findEventById(trx, cart.event_id);
    origin(event);
    await recordClick(trx, {
      id: newId('clk'),
      series_id: series.id,
      performance_id: series.performance_id,
      step: opened.claim.step,
      clicked_at: now.toISOString(),
    });

    // The link works for anyone who has it (a buyer moves from phone to laptop), but the buyer's
    // details go back only to the browser that redeemed it first; another gets them masked.
    const deviceHash = device ? hashSecret(device) : null;
    const masked = cart.resume_device_hash !== null && cart.resume_device_hash !== deviceHash;
    const answer = (view: CartView, resume: ResumeResponse['resume']): ResumeResponse =>
      masked
        ? {
            cart: { ...view, buyer: { email: null, name: null, phone: null, answers: {} } },
            resume: { ...resume, ...(cart.buyer_email && { maskedEmail: maskEmail(cart.buyer_email) }) },
          }
        : { cart: view, resume };

    const none = { unavailable: [], alternatives: [] };
    if (cart.status === 'completed') return answer(await cartView(trx, cart.id, event, now), { state: 'completed', ...none });
    // A cart given back for a payment that came late after all: its order is the purchase.
    if (await paidAfterAll(trx, cart)) {
      const order = (await findOrder(trx, cart.order_id!))!;
      return answer(await cartView(trx, order.cart_id, event, now), { state: 'completed', ...none });
    }
    const performance = asSold((await findPerformance(trx, cart.performance_id))!, event.organizer_settings);
    const items = await listCartItems(trx, cart.id);
    const requested = items.map((i) => ({ ticketTypeId: i.ticket_type_id, name: localized(i, cart.locale as Locale).name, quantity: i.quantity }));

    const cartToken = newSecret();
    const discount = await findDiscountForStep(trx, series.id, opened.claim.step);
    await updateCart(trx, cart.id, {
      // A first redeemer that names no device (storage blocked, a script) is remembered as one
      // nobody else can be: every later use gets the details masked.
      resume_device_hash: cart.resume_device_hash ?? deviceHash ?? hashSecret(newSecret()),
      token_hash: hashSecret(cartToken),
      resumed_series_id: series.id,
      resumed_step: opened.claim.step,
      discount_code: discount?.code ?? cart.discount_code,
      last_activity_at: now.toISOString(),
    });

    const salesOver = performance.sales_paused === 1 || performance.sales_close_at <= now.toISOString();
    let state: ResumeResponse['resume']['state'] = 'restored';
    let unavailable: ResumeResponse['resume']['unavailable'] = [];
    if (salesOver) {
      state = 'event_over';
    } else {
      unavailable = await holdWhatIsFree(trx, cart.id, performance.id, cart.event_id, requested, cart, now);
      const heldAny = requested.some((r) => (unavailable.find((u) => u.ticketTypeId === r.ticketTypeId)?.held ?? r.quantity) > 0);
      state = unavailable.length === 0 ? 'restored' : heldAny ? 'partly_unavailable' : 'unavailable';
    }
    const alternatives = state === 'restored' ? [] : await nearestAlternatives(trx, cart.event_id, performance.id, performance.starts_at, requested, now);
    await syncHold(trx, cart.id, now.toISOString());
    const view = await cartView(trx, cart.id, event, now);
    return answer({ ...view, token: cartToken }, { state, unavailable, alternatives });
  });
}

async function holdWhatIsFree(
  trx: Trx,
  cartId: string,
  performanceId: string,
  eventId: string,
  requested: { ticketTypeId: string; name: string; quantity: number }[],
  cart: { hold_started_at: string | null; hold_expires_at: string | null; event_id: string },
  now: Date,
) {
  const event = await findEventById(trx, eventId);
  const holdMinutes = parseSettings(event.organizer_settings).holdMinutes;
  const types = await listTicketTypes(trx, eventId);
  const taken = await lockSeats(
    trx,
    [performanceId],
    requested.map((r) => r.ticketTypeId),
    now.toISOString(),
    cartId,
  );
  const unavailable: ResumeResponse['resume']['unavailable'] = [];
  const lines = requested.map((r) => {
    const type = types.find((t) => t.id === r.ticketTypeId)!;
    const free = Math.max(0, type.capacity - taken(performanceId, type.id));
    const held = Math.min(free, r.quantity);
    if (held < r.quantity) unavailable.push({ ticketTypeId: r.ticketTypeId, name: r.name, requested: r.quantity, held });
    return { ticketTypeId: r.ticketTypeId, quantity: held, unitPrice: type.price };
  });
  await replaceCartItems(trx, cartId, lines);
  const live = cart.hold_expires_at !== null && cart.hold_expires_at > now.toISOString();
  const holding = lines.some((l) => l.quantity > 0);
  await updateCart(trx, cartId, holdTimes(holding, live, cart.hold_started_at, now, holdMinutes));
  return unavailable;
}

/** Up to three other performances of the event where every requested ticket is free, nearest in date first. */
async function nearestAlternatives(
  trx: Db,
  eventId: string,
  performanceId: string,
  startsAt: string,
  requested: { ticketTypeId: string; quantity: number }[],
  now: Date,
) {
  const nowIso = now.toISOString();
  const others = (await listUpcomingPerformances(trx, eventId, nowIso)).filter((p) => p.id !== performanceId && !p.sales_paused && p.sales_close_at > nowIso);
  const types = await listTicketTypes(trx, eventId);
  const taken = await takenSeats(
    trx,
    others.map((p) => p.id),
    nowIso,
  );
  const target = Date.parse(startsAt);
  return others
    .filter((p) =>
      requested.every((r) => {
        const type = types.find((t) => t.id === r.ticketTypeId);
        return type && type.capacity - taken(p.id, type.id) >= r.quantity;
      }),
    )
    .sort((a, b) => Math.abs(Date.parse(a.starts_at) - target) - Math.abs(Date.parse(b.starts_at) - target))
    .slice(0, 3)
    .map((p) => ({ performanceId: p.id, startsAt: p.starts_at }));
}
