// The console's lookups by id: the organizer's own event, performance or ticket type, or
// NOT_FOUND — also for another organizer's id, which must not leak.
import { findOwnEvent, findOwnPerformance, findOwnTicketType } from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';

export async function ownEvent(db: Db, organizerId: string, eventId: string) {
  const event = await findOwnEvent(db, organizerId, eventId);
  if (!event) throw new DomainError('NOT_FOUND', 'No such event');
  return event;
}

export async function ownPerformance(db: Db, organizerId: string, performanceId: string) {
  const performance = await findOwnPerformance(db, organizerId, performanceId);
  if (!performance) throw new DomainError('NOT_FOUND', 'No such performance');
  return performance;
}

export async function ownTicketType(db: Db, organizerId: string, ticketTypeId: string) {
  const ticketType = await findOwnTicketType(db, organizerId, ticketTypeId);
  if (!ticketType) throw new DomainError('NOT_FOUND', 'No such ticket type');
  return ticketType;
}
