// Sample data for previewing an organizer's reminder emails: their next performance on sale
// (any event) and its ticket types.
import type { Db } from '../platform/db/database.ts';

export function findNextPerformance(db: Db, organizerId: string, nowIso: string) {
  return db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .select(['performances.starts_at', 'events.id as event_id', 'events.title', 'events.venue', 'events.time_zone', 'events.currency', 'events.translations'])
    .where('events.organizer_id', '=', organizerId)
    .where('performances.starts_at', '>', nowIso)
    .orderBy('performances.starts_at')
    .orderBy('performances.id')
    .executeTakeFirst();
}

export function listSampleTicketTypes(db: Db, eventId: string) {
  return db
    .selectFrom('ticket_types')
    .select(['name', 'translations', 'price'])
    .where('event_id', '=', eventId)
    .orderBy('position')
    .orderBy('id')
    .limit(2)
    .execute();
}
