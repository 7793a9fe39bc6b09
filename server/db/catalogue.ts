// Reading what is on sale: organizers, events, performances, ticket types, and (from
// db/inventory.ts) how many seats of each are taken.
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

export { takenSeats } from './inventory.ts';
