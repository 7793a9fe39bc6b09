// Holding seats: checking requested items against the event's ticket types and against what
// is still free, and deciding how long a hold lasts.
import type { PerformanceRow, TicketTypeRow } from './catalogue-db.ts';
import type { Trx } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { parsePaymentSettings } from '../payments/settings.ts';
import { lockSeats, releaseEndedHolds } from './inventory.ts';
import { giveWay } from '../platform/jobs/give-way.ts';
import type { Store } from '../store.ts';

export interface RequestedItem {
  ticketTypeId: string;
  quantity: number;
}

export interface HeldLine {
  ticketTypeId: string;
  quantity: number;
  unitPrice: number;
}

/** Tickets in one cart or order over all its ticket types (each type has its own maxPerOrder, at most 1000). */
export const MAX_TICKETS_PER_ORDER = 1000;

/** Checks items against the ticket types' own rules and the overall cap; does not look at availability. */
export function validateItems(items: RequestedItem[], ticketTypes: TicketTypeRow[]): HeldLine[] {
  const byId = new Map(ticketTypes.map((t) => [t.id, t]));
  const seen = new Set<string>();
  const lines: HeldLine[] = [];
  items.forEach((item, i) => {
    const type = byId.get(item.ticketTypeId);
    if (!type) throw new DomainError('VALIDATION', 'Unknown ticket type for this event', `items.${i}.ticketTypeId`);
    if (seen.has(item.ticketTypeId)) {
      throw new DomainError('VALIDATION', 'A ticket type is listed twice', `items.${i}.ticketTypeId`);
    }
    seen.add(item.ticketTypeId);
    if (item.quantity === 0) return;
    if (item.quantity < type.min_per_order) {
      throw new DomainError('QUANTITY_LIMIT', `At least ${type.min_per_order} per order`, `items.${i}.quantity`);
    }
    if (item.quantity > type.max_per_order) {
      throw new DomainError('QUANTITY_LIMIT', `At most ${type.max_per_order} per order`, `items.${i}.quantity`);
    }
    lines.push({ ticketTypeId: type.id, quantity: item.quantity, unitPrice: type.price });
  });
  if (lines.reduce((n, l) => n + l.quantity, 0) > MAX_TICKETS_PER_ORDER) {
    throw new DomainError('QUANTITY_LIMIT', `At most ${MAX_TICKETS_PER_ORDER} tickets in one order`, 'items');
  }
  return lines;
}

/**
 * The performance as the widget sells it: an organizer who reserves for the box office (no online
 * provider) stops taking reservations `payments.reservation.hoursBeforeShow` before the start, so
 * its sales close then if that comes before the performance's own close. Everything that asks
 * "is it on sale" (the bootstrap, carts, checkout, reminder links) reads the close from here.
 */
export function asSold<P extends { starts_at: string; sales_close_at: string }>(performance: P, organizerSettings: string): P {
  const payments = parsePaymentSettings(organizerSettings);
  const hours = payments.provider === null ? payments.reservation.hoursBeforeShow : null;
  if (hours === null) return performance;
  const cutoff = new Date(Date.parse(performance.starts_at) - hours * 3_600_000).toISOString();
  return cutoff < performance.sales_close_at ? { ...performance, sales_close_at: cutoff } : performance;
}

export function assertOnSale(performance: PerformanceRow, now: Date): void {
  if (performance.sales_paused) throw new DomainError('SALES_CLOSED', 'Sales for this performance are paused', 'performanceId');
  if (performance.sales_close_at <= now.toISOString()) {
    throw new DomainError('SALES_CLOSED', 'Sales for this performance have closed', 'performanceId');
  }
}

/**
 * Throws SOLD_OUT unless every line fits in what is left. Must run inside the same write
 * transaction as the write that takes the seats.
 */
export async function assertAvailable(
  trx: Trx,
  performance: PerformanceRow,
  ticketTypes: TicketTypeRow[],
  lines: HeldLine[],
  now: Date,
  items: RequestedItem[],
  exceptCartId?: string,
): Promise<void> {
  const taken = await lockSeats(
    trx,
    [performance.id],
    lines.map((l) => l.ticketTypeId),
    now.toISOString(),
    exceptCartId,
  );
  for (const line of lines) {
    const type = ticketTypes.find((t) => t.id === line.ticketTypeId)!;
    const left = Math.max(0, type.capacity - taken(performance.id, type.id));
    if (line.quantity > left) {
      const index = items.findIndex((i) => i.ticketTypeId === line.ticketTypeId);
      throw new DomainError('SOLD_OUT', left === 0 ? `${type.name}: sold out` : `${type.name}: only ${left} left`, `items.${index}.quantity`);
    }
  }
}

const MINUTE = 60_000;

/** A new hold lasts the organizer's hold time. */
export function newHold(now: Date, holdMinutes: number) {
  return { startedAt: now.toISOString(), expiresAt: new Date(now.getTime() + holdMinutes * MINUTE).toISOString() };
}

/**
 * Activity on a live hold pushes its end to a full hold time from now, but never past twice the
 * hold time since it began: a tab left open cannot keep seats from other buyers for ever.
 */
export function extendedHold(startedAt: string, now: Date, holdMinutes: number): string {
  const cap = Date.parse(startedAt) + 2 * holdMinutes * MINUTE;
  return new Date(Math.min(now.getTime() + holdMinutes * MINUTE, cap)).toISOString();
}

/**
 * Releases holds that have ended, in batches: they already stopped counting when they ended
 * (takenSeats leaves them out), so this only keeps the ended range that reads subtract short.
 */
export async function releaseEndedHoldsRound(store: Store, batch = 500, perRound = 20_000): Promise<number> {
  let released = 0;
  while (released < perRound) {
    const n = await store.tx((trx) => releaseEndedHolds(trx, store.now().toISOString(), batch));
    released += n;
    if (n < batch) break;
    await (store.giveWay ?? giveWay)();
  }
  return released;
}
