// Reading what is on sale: organizers, events, performances, ticket types, and (from
// db/inventory.ts) how many seats of each are taken.
import type { Db } from './database.ts';
import { prepared } from './prepared.ts';

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

const eventBySlug = prepared(1, (db, slug: string) => eventWithOrganizer(db).where('events.slug', '=', slug));
const eventById = prepared(1, (db, id: string) => eventWithOrganizer(db).where('events.id', '=', id));
const performanceById = prepared(1, (db, id: string) => db.selectFrom('performances').selectAll().where('id', '=', id));
const ticketTypesOf = prepared(1, (db, eventId: string) =>
  db.selectFrom('ticket_types').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id'),
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
  return db.selectFrom('performances').selectAll().where('event_id', '=', eventId).where('starts_at', '>', now).orderBy('starts_at').execute();
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
