// Noticing left carts. A cart with items that sat idle for the organizer's delay, or whose hold
// lapsed, is marked abandoned (for the stats, email or not). If its buyer may be reminded, the
// cart joins that buyer's one series for the performance and the series' steps are queued.
import { findEventById, findPerformance, listTicketTypes, takenSeats, type PerformanceRow } from '../sales/catalogue-db.ts';
import { findCart, listCartItems, lockCart, updateCart, type CartRow } from '../sales/carts-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { findAbandonmentCandidates, findSeriesFor, insertSeries, isSuppressed, listOrganizers, purchasedSince, updateSeries } from './recovery-db.ts';
import { newId } from '../platform/ids.ts';
import { parseRecoverySettings, type RecoverySettings } from '../contracts/recovery-settings.ts';
import { scheduleReminders } from './reminder-schedule.ts';
import { emailHash } from '../platform/signed-links.ts';
import type { Store } from '../store.ts';
import { giveWay } from '../platform/jobs/give-way.ts';
import { queueReminders } from './reminder-job.ts';
import { emitCartAbandoned } from '../webhooks/events.ts';
import { abandonmentKind, paidAfterAll, type AbandonmentKind } from './payment-abandonment.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface ScanResult {
  abandoned: number;
  seriesStarted: number;
  joinedSeries: number;
  /** Of `abandoned`, carts whose payment was started and never completed (recovery/payment-abandonment.ts). */
  payment: number;
}

export async function scanAbandonedCarts(store: Store, batch = 500): Promise<ScanResult> {
  const result: ScanResult = { abandoned: 0, seriesStarted: 0, joinedSeries: 0, payment: 0 };
  for (const organizer of await listOrganizers(store.db)) {
    const settings = parseRecoverySettings(organizer.settings);
    const now = store.now();
    const idleBefore = new Date(now.getTime() - settings.abandonAfterMinutes * MINUTE).toISOString();
    const carts = await findAbandonmentCandidates(store.db, organizer.id, idleBefore, now.toISOString(), batch);
    for (const candidate of carts) {
      const outcome = await store.tx((trx) => abandon(trx, candidate.id, settings, store.now()));
      await (store.giveWay ?? giveWay)();
      if (outcome.result === 'skipped') continue;
      result.abandoned++;
      if (outcome.kind === 'payment') result.payment++;
      if (outcome.result === 'started') result.seriesStarted++;
      if (outcome.result === 'joined') result.joinedSeries++;
    }
  }
  return result;
}

type Outcome = { result: 'skipped' | 'marked' | 'started' | 'joined'; kind?: AbandonmentKind };

async function abandon(trx: Trx, cartId: string, settings: RecoverySettings, now: Date): Promise<Outcome> {
  // Re-read inside the transaction: the buyer may have come back since the scan.
  await lockCart(trx, cartId);
  const cart = await findCart(trx, cartId);
  if (cart?.status !== 'open' || cart.abandoned_at) return { result: 'skipped' };
  return { result: await markAbandoned(trx, cart, settings, now), kind: abandonmentKind(cart) };
}

async function markAbandoned(trx: Trx, cart: CartRow, settings: RecoverySettings, now: Date): Promise<Outcome['result']> {
  const idleSince = Date.parse(cart.last_activity_at) + settings.abandonAfterMinutes * MINUTE;
  const holdEnd = cart.hold_expires_at ? Date.parse(cart.hold_expires_at) : Infinity;
  const abandonedAt = new Date(Math.min(now.getTime(), idleSince, holdEnd));
  if (abandonedAt > now || (idleSince > now.getTime() && holdEnd > now.getTime())) return 'skipped';
  await updateCart(trx, cart.id, { abandoned_at: abandonedAt.toISOString() });
  await emitCartAbandoned(trx, cart, abandonedAt, now);

  if (!(await mayRemind(trx, cart, now))) return 'marked';
  const performance = (await findPerformance(trx, cart.performance_id))!;
  const hash = emailHash(cart.buyer_email!);
  const existing = await findSeriesFor(trx, cart.performance_id, hash);
  if (existing) {
    // One series per email per performance: a newer left cart becomes the one the link restores.
    if (existing.status !== 'active') return 'marked';
    await updateSeries(trx, existing.id, { cart_id: cart.id, email: cart.buyer_email, locale: cart.locale });
    return 'joined';
  }
  const event = await findEventById(trx, cart.event_id);
  const steps = scheduleReminders({
    abandonedAt,
    now,
    steps: settings.steps,
    quietHours: settings.quietHours,
    timeZone: event.time_zone,
    salesCloseAt: new Date(performance.sales_close_at),
  });
  if (steps.length === 0) return 'marked';
  const seriesId = newId('ser');
  const lastDue = steps.at(-1)!.dueAt.getTime();
  await insertSeries(trx, {
    id: seriesId,
    organizer_id: cart.organizer_id,
    event_id: cart.event_id,
    performance_id: cart.performance_id,
    cart_id: cart.id,
    email: cart.buyer_email,
    email_hash: hash,
    locale: cart.locale,
    abandoned_at: abandonedAt.toISOString(),
    status: 'active',
    stop_reason: null,
    // The links work until the attribution window after the last step closes, or the show starts.
    expires_at: new Date(Math.min(Date.parse(performance.starts_at), lastDue + settings.attributionDays * DAY)).toISOString(),
    created_at: now.toISOString(),
  });
  await queueReminders(
    trx,
    steps.map((s) => ({
      id: newId('msg'),
      kind: 'reminder' as const,
      dedupe_key: `reminder:${seriesId}:${s.step}`,
      organizer_id: cart.organizer_id,
      series_id: seriesId,
      performance_id: cart.performance_id,
      step: s.step,
      due_at: s.dueAt.toISOString(),
      status: 'pending' as const,
      attempts: 0,
      created_at: now.toISOString(),
    })),
    now,
  );
  return 'started';
}

/** The rules for reminding at all; re-checked when each reminder is about to go out. */
export async function mayRemind(trx: Db, cart: CartRow, now: Date): Promise<boolean> {
  return (await whyNotRemind(trx, cart, now, cart.created_at)) === null;
}

export async function whyNotRemind(trx: Db, cart: CartRow, now: Date, purchasesSince: string): Promise<string | null> {
  if (!cart.buyer_email || cart.pii_erased_at) return 'no email';
  if (cart.consent_mode === 'opt-in' ? cart.consent !== 1 : !cart.consent_text) return 'no consent';
  const items = await listCartItems(trx, cart.id);
  if (items.length === 0) return 'empty cart';
  if (await isSuppressed(trx, cart.organizer_id, emailHash(cart.buyer_email))) return 'unsubscribed';
  if (await purchasedSince(trx, cart.event_id, cart.buyer_email, purchasesSince)) return 'purchased';
  if (await paidAfterAll(trx, cart)) return 'purchased';
  const performance = (await findPerformance(trx, cart.performance_id))!;
  if (performance.starts_at <= now.toISOString()) return 'performance started';
  if (performance.sales_close_at <= now.toISOString()) return 'sales closed';
  if (await soldOut(trx, performance, cart, items, now)) return 'sold out';
  return null;
}

async function soldOut(trx: Db, performance: PerformanceRow, cart: CartRow, items: Awaited<ReturnType<typeof listCartItems>>, now: Date) {
  const types = await listTicketTypes(trx, cart.event_id);
  const taken = await takenSeats(trx, [performance.id], now.toISOString(), cart.id);
  return items.every((i) => {
    const type = types.find((t) => t.id === i.ticket_type_id);
    return !type || type.capacity - taken(performance.id, type.id) <= 0;
  });
}
