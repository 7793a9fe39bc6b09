// Reading what is on sale: organizers, events, performances, ticket types, and how many seats
// of each are taken.
import type { Db } from './database.ts';

/** An event with the organizer fields every caller needs (name, settings, allowed origins). */
function eventWithOrganizer(db: Db) {
  return db
    .selectFrom('events')
    .innerJoin('organizers', 'organizers.id', 'events.organizer_id')
    .select([
      'events.id',
      'events.slug',
      'events.title',
      'events.description',
      'events.venue',
      'events.time_zone',
      'events.currency',
      'events.organizer_id',
      'organizers.name as organizer_name',
      'organizers.settings as organizer_settings',
      'organizers.allowed_origins as organizer_origins',
    ]);
}

export function findEventBySlug(db: Db, slug: string) {
  return eventWithOrganizer(db).where('events.slug', '=', slug).executeTakeFirst();
}

export type EventRow = NonNullable<Awaited<ReturnType<typeof findEventBySlug>>>;

export function findEventById(db: Db, id: string) {
  return eventWithOrganizer(db).where('events.id', '=', id).executeTakeFirstOrThrow();
}

export function listUpcomingPerformances(db: Db, eventId: string, now: string) {
  return db
    .selectFrom('performances')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('starts_at', '>', now)
    .orderBy('starts_at')
    .execute();
}

export function findPerformance(db: Db, id: string) {
  return db.selectFrom('performances').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTicketTypes(db: Db, eventId: string) {
  return db
    .selectFrom('ticket_types')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export type PerformanceRow = NonNullable<Awaited<ReturnType<typeof findPerformance>>>;
export type TicketTypeRow = Awaited<ReturnType<typeof listTicketTypes>>[number];

const key = (performanceId: string, ticketTypeId: string) => `${performanceId} ${ticketTypeId}`;

/**
 * Seats taken per performance and ticket type: sold tickets plus the quantities in open carts
 * whose hold has not expired. An expired hold stops counting at the instant it expires, so no
 * sweeper is needed for correctness. `exceptCartId` leaves out a cart re-checking its own hold.
 */
export async function takenSeats(
  db: Db,
  performanceIds: string[],
  now: string,
  exceptCartId?: string,
): Promise<(performanceId: string, ticketTypeId: string) => number> {
  const taken = new Map<string, number>();
  if (performanceIds.length === 0) return () => 0;
  const sold = await db
    .selectFrom('tickets')
    .select(['performance_id', 'ticket_type_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('performance_id', 'in', performanceIds)
    .groupBy(['performance_id', 'ticket_type_id'])
    .execute();
  let held = db
    .selectFrom('cart_items')
    .innerJoin('carts', 'carts.id', 'cart_items.cart_id')
    .select(['carts.performance_id', 'cart_items.ticket_type_id', (eb) => eb.fn.sum<number>('cart_items.quantity').as('n')])
    .where('carts.performance_id', 'in', performanceIds)
    .where('carts.status', '=', 'open')
    .where('carts.hold_expires_at', '>', now);
  if (exceptCartId) held = held.where('carts.id', '!=', exceptCartId);
  const heldRows = await held.groupBy(['carts.performance_id', 'cart_items.ticket_type_id']).execute();
  for (const r of [...sold, ...heldRows]) {
    const k = key(r.performance_id, r.ticket_type_id);
    taken.set(k, (taken.get(k) ?? 0) + Number(r.n));
  }
  return (performanceId, ticketTypeId) => taken.get(key(performanceId, ticketTypeId)) ?? 0;
}
