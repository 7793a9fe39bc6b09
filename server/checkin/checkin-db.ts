// Check-in queries. A ticket is found by its code (tickets.code is unique: one index probe) and
// only within the signed-in organizer, so another organizer's ticket reads as no ticket at all.
// The claim is one conditional statement: see claimCheckIn.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/** A scanned ticket with what the door needs to decide: its order's state, type, buyer and check-in. */
export function findTicketForCheckIn(db: Db, organizerId: string, code: string) {
  return db
    .selectFrom('tickets')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .innerJoin('performances', 'performances.id', 'tickets.performance_id')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .leftJoin('checkins', 'checkins.ticket_id', 'tickets.id')
    .select([
      'tickets.id',
      'tickets.performance_id',
      'tickets.order_id',
      'orders.number as order_number',
      'orders.status as order_status',
      'orders.buyer_name',
      'ticket_types.name as ticket_type_name',
      'performances.starts_at',
      'events.title as event_title',
      'events.time_zone',
      'checkins.scanned_at',
      'checkins.actor',
      'checkins.device_id',
    ])
    .where('tickets.code', '=', code)
    .where('orders.organizer_id', '=', organizerId)
    .executeTakeFirst();
}

export interface Scan {
  ticketId: string;
  performanceId: string;
  scannedAt: string;
  recordedAt: string;
  actor: string;
  deviceId: string | null;
}

/**
 * Admits the ticket unless it already was: true when this scan is the one recorded. The guard is
 * in the statement, not in a read before it: two devices that both read "not checked in" both
 * reach this insert, and the primary key lets one row in. A scan made earlier than the recorded
 * one (a device that was offline syncing later) takes its place: the first scan in time wins.
 */
export async function claimCheckIn(db: Db, s: Scan): Promise<boolean> {
  const row = await db
    .insertInto('checkins')
    .values(scanRow(s))
    .onConflict((oc) =>
      oc
        .column('ticket_id')
        .doUpdateSet((eb) => ({
          scanned_at: eb.ref('excluded.scanned_at'),
          recorded_at: eb.ref('excluded.recorded_at'),
          actor: eb.ref('excluded.actor'),
          device_id: eb.ref('excluded.device_id'),
        }))
        .where('checkins.scanned_at', '>', (eb) => eb.ref('excluded.scanned_at')),
    )
    .returning('ticket_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The same write with no guard: it always writes and always says it won. Only for the
 * concurrency test's control, which shows two devices both told "valid" without the guard.
 */
export async function claimCheckInUnguarded(db: Db, s: Scan): Promise<boolean> {
  await db
    .insertInto('checkins')
    .values(scanRow(s))
    .onConflict((oc) =>
      oc.column('ticket_id').doUpdateSet((eb) => ({
        scanned_at: eb.ref('excluded.scanned_at'),
        recorded_at: eb.ref('excluded.recorded_at'),
        actor: eb.ref('excluded.actor'),
        device_id: eb.ref('excluded.device_id'),
      })),
    )
    .execute();
  return true;
}

const scanRow = (s: Scan) => ({
  ticket_id: s.ticketId,
  performance_id: s.performanceId,
  scanned_at: s.scannedAt,
  recorded_at: s.recordedAt,
  actor: s.actor,
  device_id: s.deviceId,
});

/** Undoes a ticket's check-in; true when there was one. */
export async function deleteCheckIn(db: Db, ticketId: string): Promise<boolean> {
  const r = await db.deleteFrom('checkins').where('ticket_id', '=', ticketId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** The recorded check-in of a ticket (after a claim lost: who was first). */
export function findCheckIn(db: Db, ticketId: string) {
  return db.selectFrom('checkins').select(['scanned_at', 'actor', 'device_id']).where('ticket_id', '=', ticketId).executeTakeFirst();
}

/** The organizer's performance with its event, or undefined. */
export function findPerformance(db: Db, organizerId: string, performanceId: string) {
  return db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .select(['performances.id', 'performances.starts_at', 'events.id as event_id', 'events.title as event_title', 'events.time_zone'])
    .where('performances.id', '=', performanceId)
    .where('events.organizer_id', '=', organizerId)
    .executeTakeFirst();
}

/** Every ticket of a performance with its order's state and check-in (for the preload list). */
export function performanceTickets(db: Db, performanceId: string) {
  return db
    .selectFrom('tickets')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .leftJoin('checkins', 'checkins.ticket_id', 'tickets.id')
    .select(['tickets.code', 'tickets.ticket_type_id', 'orders.status as order_status', 'checkins.scanned_at'])
    .where('tickets.performance_id', '=', performanceId)
    .execute();
}

/** Per ticket type: valid (paid) tickets, and tickets checked in (whatever became of their order since). */
export function checkInCounts(db: Db, performanceId: string) {
  return db
    .selectFrom('tickets')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .leftJoin('checkins', 'checkins.ticket_id', 'tickets.id')
    .select((eb) => [
      'ticket_types.id',
      'ticket_types.name',
      sql<number>`sum(case when orders.status = 'paid' then 1 else 0 end)`.as('valid'),
      eb.fn.count<number>('checkins.ticket_id').as('checked_in'),
    ])
    .where('tickets.performance_id', '=', performanceId)
    .where((eb) => eb.or([eb('orders.status', '=', 'paid'), eb('checkins.ticket_id', 'is not', null)]))
    .groupBy(['ticket_types.id', 'ticket_types.name'])
    .orderBy('ticket_types.position')
    .execute();
}

/** A performance's check-ins in time order, for the CSV. */
export function performanceCheckIns(db: Db, performanceId: string) {
  return db
    .selectFrom('checkins')
    .innerJoin('tickets', 'tickets.id', 'checkins.ticket_id')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .select([
      'checkins.scanned_at',
      'checkins.recorded_at',
      'checkins.actor',
      'checkins.device_id',
      'tickets.code',
      'ticket_types.name as ticket_type_name',
      'orders.number as order_number',
      'orders.status as order_status',
      'orders.buyer_name',
    ])
    .where('checkins.performance_id', '=', performanceId)
    .orderBy('checkins.scanned_at')
    .execute();
}

/** Per performance of the organizer's event: valid (paid) tickets and tickets checked in. */
export function eventCheckInCounts(db: Db, organizerId: string, eventId: string) {
  return db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .innerJoin('tickets', 'tickets.performance_id', 'performances.id')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .leftJoin('checkins', 'checkins.ticket_id', 'tickets.id')
    .select((eb) => [
      'performances.id',
      sql<number>`sum(case when orders.status = 'paid' then 1 else 0 end)`.as('valid'),
      eb.fn.count<number>('checkins.ticket_id').as('checked_in'),
    ])
    .where('events.id', '=', eventId)
    .where('events.organizer_id', '=', organizerId)
    .groupBy('performances.id')
    .execute();
}
