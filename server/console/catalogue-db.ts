// The console's reads and writes of events, performances and ticket types. Every lookup by id
// takes the organizer too, so another organizer's id simply finds nothing.
import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { EventsTable, PerformancesTable, TicketTypesTable } from '../platform/db/schema.ts';

/** Which events a list holds: the ones in use (default), the archived ones, or both. */
export type ArchivedFilter = 'exclude' | 'only' | 'include';

/** Events with how many performances each has that are not archived. */
export function listOwnEvents(db: Db, organizerId: string, archived: ArchivedFilter = 'exclude') {
  let query = db
    .selectFrom('events')
    .selectAll('events')
    .select((eb) =>
      eb
        .selectFrom('performances')
        .whereRef('performances.event_id', '=', 'events.id')
        .where('performances.archived_at', 'is', null)
        .select(eb.fn.countAll<number>().as('n'))
        .as('performance_count'),
    )
    .where('events.organizer_id', '=', organizerId);
  if (archived === 'exclude') query = query.where('events.archived_at', 'is', null);
  if (archived === 'only') query = query.where('events.archived_at', 'is not', null);
  return query.orderBy('events.created_at').orderBy('events.id').execute();
}

export function findOwnEvent(db: Db, organizerId: string, eventId: string) {
  return db.selectFrom('events').selectAll().where('id', '=', eventId).where('organizer_id', '=', organizerId).executeTakeFirst();
}

export function findOwnEventBySlug(db: Db, organizerId: string, slug: string) {
  return db.selectFrom('events').selectAll().where('slug', '=', slug).where('organizer_id', '=', organizerId).executeTakeFirst();
}

export type OwnEventRow = NonNullable<Awaited<ReturnType<typeof findOwnEvent>>>;

export async function eventSlugTaken(db: Db, slug: string, exceptEventId?: string): Promise<boolean> {
  let query = db.selectFrom('events').select('id').where('slug', '=', slug);
  if (exceptEventId) query = query.where('id', '!=', exceptEventId);
  return (await query.executeTakeFirst()) !== undefined;
}

export function insertEvent(db: Db, row: Insertable<EventsTable>) {
  return db.insertInto('events').values(row).execute();
}

export function updateEvent(db: Db, organizerId: string, eventId: string, changes: Omit<Updateable<EventsTable>, 'id' | 'organizer_id'>) {
  return db.updateTable('events').set(changes).where('id', '=', eventId).where('organizer_id', '=', organizerId).execute();
}

export function listAllPerformances(db: Db, eventId: string) {
  return db.selectFrom('performances').selectAll().where('event_id', '=', eventId).orderBy('starts_at').orderBy('id').execute();
}

export function findOwnPerformance(db: Db, organizerId: string, performanceId: string) {
  return db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .selectAll('performances')
    .select('events.archived_at as event_archived_at')
    .where('performances.id', '=', performanceId)
    .where('events.organizer_id', '=', organizerId)
    .executeTakeFirst();
}

export function insertPerformance(db: Db, row: Insertable<PerformancesTable>) {
  return db.insertInto('performances').values(row).execute();
}

/** Callers have already checked ownership with findOwnPerformance. */
export function updatePerformance(
  db: Db,
  performanceId: string,
  changes: Pick<Updateable<PerformancesTable>, 'starts_at' | 'sales_close_at' | 'sales_paused' | 'archived_at'>,
) {
  return db.updateTable('performances').set(changes).where('id', '=', performanceId).execute();
}

/** Every ticket type of the event, archived ones too (the widget's list leaves those out). */
export function listAllTicketTypes(db: Db, eventId: string) {
  return db.selectFrom('ticket_types').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id').execute();
}

export function findOwnTicketType(db: Db, organizerId: string, ticketTypeId: string) {
  return db
    .selectFrom('ticket_types')
    .innerJoin('events', 'events.id', 'ticket_types.event_id')
    .selectAll('ticket_types')
    .where('ticket_types.id', '=', ticketTypeId)
    .where('events.organizer_id', '=', organizerId)
    .executeTakeFirst();
}

export async function insertTicketType(db: Db, row: Omit<Insertable<TicketTypesTable>, 'position'>) {
  const last = await db
    .selectFrom('ticket_types')
    .select((eb) => eb.fn.max<number | null>('position').as('p'))
    .where('event_id', '=', row.event_id)
    .executeTakeFirst();
  await db
    .insertInto('ticket_types')
    .values({ ...row, position: (last?.p ?? -1) + 1 })
    .execute();
}

/** Callers have already checked ownership with findOwnTicketType. */
export function updateTicketType(db: Db, ticketTypeId: string, changes: Omit<Updateable<TicketTypesTable>, 'id' | 'event_id'>) {
  return db.updateTable('ticket_types').set(changes).where('id', '=', ticketTypeId).execute();
}

/** Tickets sold per performance and ticket type (holds are in catalogue.takenSeats). */
export async function soldSeats(db: Db, performanceIds: string[]): Promise<(performanceId: string, ticketTypeId: string) => number> {
  if (performanceIds.length === 0) return () => 0;
  const rows = await db
    .selectFrom('tickets')
    .select(['performance_id', 'ticket_type_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('performance_id', 'in', performanceIds)
    .groupBy(['performance_id', 'ticket_type_id'])
    .execute();
  const sold = new Map(rows.map((r) => [`${r.performance_id} ${r.ticket_type_id}`, Number(r.n)]));
  return (performanceId, ticketTypeId) => sold.get(`${performanceId} ${ticketTypeId}`) ?? 0;
}

export function findOrganizerSettings(db: Db, organizerId: string) {
  return db.selectFrom('organizers').select(['settings', 'allowed_origins']).where('id', '=', organizerId).executeTakeFirstOrThrow();
}

export function updateOrganizerSettings(db: Db, organizerId: string, changes: { settings?: string; allowed_origins?: string }) {
  return db.updateTable('organizers').set(changes).where('id', '=', organizerId).execute();
}
