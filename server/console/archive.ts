// Taking events, performances and ticket types out of use. Archive: hidden from the widget and
// from the console's default lists, still in the stats, restorable; anything can be archived.
// Delete: gone for good, only for what never sold (HAS_SALES otherwise: archive it instead).
//
// What an archive does to carts already under way:
// - an archived event or performance reads as paused to every sales path (sales/catalogue-db.ts), so
//   open carts on it cannot be checked out or resumed, and its reminder series are stopped (a
//   restore does not restart them: a reminder about something once withdrawn would be a surprise);
// - an archived ticket type leaves every unfinished cart of its event, releasing its seats, so no
//   cart or reminder offers what is no longer sold.
import {
  deleteEvent as deleteEventRows,
  deletePerformance as deletePerformanceRows,
  deleteTicketType as deleteTicketTypeRows,
  eventHasSales,
  performanceHasSales,
  removeTicketTypeFromCarts,
  setEventArchived,
  setTicketTypeArchived,
  stopReminders,
  ticketTypeHasSales,
} from './catalogue-removal-db.ts';
import { updatePerformance } from './catalogue-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { ownEvent, ownPerformance, ownTicketType } from './ownership.ts';
import { DomainError } from '../platform/errors.ts';
import type { Store } from '../store.ts';

const STOP_REASON = 'archived';

const hasSales = (what: string) => new DomainError('HAS_SALES', `This ${what} has sales, so it is kept for the records; archive it instead to hide it`);

/** In the caller's write transaction, with the rest of its PATCH. Archiving again keeps the first date. */
export async function archiveEvent(trx: Db, organizerId: string, eventId: string, archived: boolean, now: Date) {
  const event = await ownEvent(trx, organizerId, eventId);
  if (archived === (event.archived_at !== null)) return;
  await setEventArchived(trx, eventId, archived ? now.toISOString() : null);
  if (archived) await stopReminders(trx, { eventId }, STOP_REASON);
}

export async function archivePerformance(trx: Db, organizerId: string, performanceId: string, archived: boolean, now: Date) {
  const performance = await ownPerformance(trx, organizerId, performanceId);
  if (archived === (performance.archived_at !== null)) return;
  await updatePerformance(trx, performanceId, { archived_at: archived ? now.toISOString() : null });
  if (archived) await stopReminders(trx, { performanceId }, STOP_REASON);
}

export async function archiveTicketType(trx: Trx, organizerId: string, ticketTypeId: string, archived: boolean, now: Date) {
  const ticketType = await ownTicketType(trx, organizerId, ticketTypeId);
  if (archived === (ticketType.archived_at !== null)) return;
  await setTicketTypeArchived(trx, ticketTypeId, archived ? now.toISOString() : null);
  if (archived) await removeTicketTypeFromCarts(trx, ticketType.event_id, ticketTypeId, now.toISOString());
}

export function deleteEvent(store: Store, organizerId: string, eventId: string): Promise<void> {
  return store.tx(async (trx) => {
    await ownEvent(trx, organizerId, eventId);
    if (await eventHasSales(trx, eventId)) throw hasSales('event');
    await deleteEventRows(trx, eventId);
  });
}

export function deletePerformance(store: Store, organizerId: string, performanceId: string): Promise<void> {
  return store.tx(async (trx) => {
    await ownPerformance(trx, organizerId, performanceId);
    if (await performanceHasSales(trx, performanceId)) throw hasSales('performance');
    await deletePerformanceRows(trx, performanceId);
  });
}

export function deleteTicketType(store: Store, organizerId: string, ticketTypeId: string): Promise<void> {
  return store.tx(async (trx) => {
    const ticketType = await ownTicketType(trx, organizerId, ticketTypeId);
    if (await ticketTypeHasSales(trx, ticketType.event_id, ticketTypeId)) throw hasSales('ticket type');
    await deleteTicketTypeRows(trx, ticketType.event_id, ticketTypeId, store.now().toISOString());
  });
}
