// Reading what is on sale: organizers, events, performances, ticket types, and (from
// sales/inventory.ts) how many seats of each are taken.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { prepared } from '../platform/db/prepared.ts';

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
      'events.translations',
      'events.organizer_id',
      'organizers.name as organizer_name',
      'organizers.settings as organizer_settings',
      'organizers.allowed_origins as organizer_origins',
    ]);
}

// What is archived (migration 0012) is not on sale: an archived event is not found by its slug,
// an archived ticket type is not among its event's, and a performance that is archived, or
// whose event is, reads as paused — so every sales path (holds, checkout, resume) refuses it
// the way it refuses a paused one. Carts, orders and reminders read events by id, unfiltered.
const performance = (db: Db) =>
  db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .select([
      'performances.id',
      'performances.event_id',
      'performances.starts_at',
      'performances.sales_close_at',
      sql<number>`case when performances.archived_at is null and events.archived_at is null then performances.sales_paused else 1 end`.as('sales_paused'),
      'performances.created_at',
    ]);

const eventBySlug = prepared(1, (db, slug: string) => eventWithOrganizer(db).where('events.slug', '=', slug).where('events.archived_at', 'is', null));
const eventById = prepared(1, (db, id: string) => eventWithOrganizer(db).where('events.id', '=', id));
const performanceById = prepared(1, (db, id: string) => performance(db).where('performances.id', '=', id));
const ticketTypesOf = prepared(1, (db, eventId: string) =>
  db.selectFrom('ticket_types').selectAll().where('event_id', '=', eventId).where('archived_at', 'is', null).orderBy('position').orderBy('id'),
);

export function findEventBySlug(db: Db, slug: string) {
  return eventBySlug(db, slug).then((rows) => rows[0]);
}

export type EventRow = NonNullable<Awaited<ReturnType<typeof findEventBySlug>>>;

export async function findEventById(db: Db, id: string) {
  const [event] = await eventById(db, id);
  if (!event) throw new Error(`No event ${id}`);
  return event;
}

export function listUpcomingPerformances(db: Db, eventId: string, now: string) {
  return performance(db)
    .where('performances.event_id', '=', eventId)
    .where('performances.starts_at', '>', now)
    .where('performances.archived_at', 'is', null)
    .orderBy('performances.starts_at')
    .execute();
}

export function findPerformance(db: Db, id: string) {
  return performanceById(db, id).then((rows) => rows[0]);
}

export function listTicketTypes(db: Db, eventId: string) {
  return ticketTypesOf(db, eventId);
}

export type PerformanceRow = NonNullable<Awaited<ReturnType<typeof findPerformance>>>;
export type TicketTypeRow = Awaited<ReturnType<typeof listTicketTypes>>[number];

export { takenSeats } from './inventory.ts';
