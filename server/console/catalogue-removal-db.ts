// Archiving and deleting events, performances and ticket types. Deleting is only for what never
// sold (callers check with the *HasSales queries in the same write transaction); it takes with
// it the carts that looked at it and everything hanging off them, so no foreign key is left
// pointing at nothing. Every statement reads by an index (test/api/console-archive.test.ts checks
// the plans): a performance's carts and orders by their performance_id indexes, its series by
// reminder_series_stats, a series' rows by series_id, and the foreign-key checks of a deleted
// event or ticket type by the indexes of migration 0012.
import { sql } from 'kysely';
import type { Db, Trx } from '../platform/db/database.ts';
import { syncHold } from '../sales/inventory.ts';

const performancesOf = (db: Db, eventId: string) => db.selectFrom('performances').select('id').where('event_id', '=', eventId);
const cartsOf = (db: Db, performanceId: string) => db.selectFrom('carts').select('id').where('performance_id', '=', performanceId);
const organizerOf = (db: Db, performanceId: string) =>
  db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .select('events.organizer_id')
    .where('performances.id', '=', performanceId);
const seriesOf = (db: Db, performanceId: string) => db.selectFrom('reminder_series').select('id').where('performance_id', '=', performanceId);

export async function eventHasSales(db: Db, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('orders').select('id').where('performance_id', 'in', performancesOf(db, eventId)).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function performanceHasSales(db: Db, performanceId: string): Promise<boolean> {
  return (await db.selectFrom('orders').select('id').where('performance_id', '=', performanceId).limit(1).executeTakeFirst()) !== undefined;
}

export async function ticketTypeHasSales(db: Db, eventId: string, ticketTypeId: string): Promise<boolean> {
  const row = await db
    .selectFrom('tickets')
    .select('id')
    .where('performance_id', 'in', performancesOf(db, eventId))
    .where('ticket_type_id', '=', ticketTypeId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function setEventArchived(db: Db, eventId: string, archivedAt: string | null) {
  return db.updateTable('events').set({ archived_at: archivedAt }).where('id', '=', eventId).execute();
}

export function setTicketTypeArchived(db: Db, ticketTypeId: string, archivedAt: string | null) {
  return db.updateTable('ticket_types').set({ archived_at: archivedAt }).where('id', '=', ticketTypeId).execute();
}

/** Ends the reminder series of the performance (or of every performance of the event): nothing more is sent for it. */
export function stopReminders(db: Db, scope: { performanceId: string } | { eventId: string }, reason: string) {
  const query = db.updateTable('reminder_series').set({ status: 'stopped', stop_reason: reason }).where('status', '=', 'active');
  return ('performanceId' in scope ? query.where('performance_id', '=', scope.performanceId) : query.where('event_id', '=', scope.eventId)).execute();
}

/**
 * Takes a ticket type out of every unfinished cart of its event: their lines of it go, and
 * each hold is recounted without it (seats it held are free again). A cart left empty stays,
 * empty, as a cart the buyer emptied would.
 */
export async function removeTicketTypeFromCarts(trx: Trx, eventId: string, ticketTypeId: string, now: string): Promise<void> {
  const holding = await trx
    .selectFrom('holds')
    .select('cart_id')
    .distinct()
    .where('performance_id', 'in', performancesOf(trx, eventId))
    .where('ticket_type_id', '=', ticketTypeId)
    .execute();
  await trx
    .deleteFrom('cart_items')
    .where('ticket_type_id', '=', ticketTypeId)
    .where('cart_id', 'in', trx.selectFrom('carts').select('id').where('performance_id', 'in', performancesOf(trx, eventId)).where('status', '=', 'open'))
    .execute();
  for (const { cart_id } of holding) await syncHold(trx, cart_id, now);
}

/** Deletes a ticket type nothing was sold of: its lines in carts (see removeTicketTypeFromCarts), its counters, itself. */
export async function deleteTicketType(trx: Trx, eventId: string, ticketTypeId: string, now: string): Promise<void> {
  await removeTicketTypeFromCarts(trx, eventId, ticketTypeId, now);
  await trx.deleteFrom('inventory').where('performance_id', 'in', performancesOf(trx, eventId)).where('ticket_type_id', '=', ticketTypeId).execute();
  await trx.deleteFrom('ticket_types').where('id', '=', ticketTypeId).execute();
}

/**
 * Deletes a performance nothing was sold for, with its carts (open or abandoned), their items,
 * holds and idempotency records, its reminder series with their queued emails, clicks and
 * discount codes, and its seat counters. A buyer still on the page finds the cart gone (404),
 * which the widget reads as "start again".
 */
export async function deletePerformance(trx: Db, performanceId: string): Promise<void> {
  const series = seriesOf(trx, performanceId);
  await trx.deleteFrom('outbox').where('series_id', 'in', series).execute();
  await trx.deleteFrom('reminder_clicks').where('series_id', 'in', series).execute();
  await trx.deleteFrom('discounts').where('series_id', 'in', series).execute();
  // Promo codes for this performance only (by the organizer's partial index of promo codes).
  await trx
    .deleteFrom('discounts')
    .where('organizer_id', '=', organizerOf(trx, performanceId))
    .where('series_id', 'is', sql.lit(null))
    .where('performance_id', '=', performanceId)
    .execute();
  await trx.deleteFrom('reminder_series').where('performance_id', '=', performanceId).execute();
  const carts = cartsOf(trx, performanceId);
  await trx.deleteFrom('holds').where('performance_id', '=', performanceId).execute();
  await trx.deleteFrom('cart_items').where('cart_id', 'in', carts).execute();
  await trx.deleteFrom('idempotency_keys').where('cart_id', 'in', carts).execute();
  await trx.deleteFrom('carts').where('performance_id', '=', performanceId).execute();
  await trx.deleteFrom('inventory').where('performance_id', '=', performanceId).execute();
  await trx.deleteFrom('performances').where('id', '=', performanceId).execute();
}

/** Deletes an event nothing was sold for: each performance as above, its ticket types, its view counts. */
export async function deleteEvent(trx: Db, eventId: string): Promise<void> {
  for (const { id } of await performancesOf(trx, eventId).execute()) await deletePerformance(trx, id);
  await trx.deleteFrom('ticket_types').where('event_id', '=', eventId).execute();
  await trx.deleteFrom('widget_views').where('event_id', '=', eventId).execute();
  await trx
    .deleteFrom('discounts')
    .where('organizer_id', '=', trx.selectFrom('events').select('organizer_id').where('id', '=', eventId))
    .where('series_id', 'is', sql.lit(null))
    .where('event_id', '=', eventId)
    .execute();
  await trx.deleteFrom('events').where('id', '=', eventId).execute();
}
