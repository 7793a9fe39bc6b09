// What a door device preloads to answer while offline: for each ticket of the performance, a
// hash of its QR payload (not the payload: the list admits nobody if it leaks), its type and its
// state. Buyers' names are left out on purpose — a phone at the door that is lost would carry the
// whole audience — so an offline answer says the type only; the name shows once the scan syncs.
import { createHash } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { ticketQrPayload } from '../tickets/ticket-code.ts';
import { checkInCounts, findPerformance, performanceTickets } from './checkin-db.ts';

/** The hash a device computes over what it scanned (console/pages/check-in-offline.ts does the same). */
export const payloadHash = (payload: string) => createHash('sha256').update(payload).digest().subarray(0, 16).toString('base64url');

export type PreloadState = 'valid' | 'used' | 'reserved' | 'pending_payment' | 'cancelled' | 'expired' | 'refunded';

export async function checkInList(db: Db, organizerId: string, performanceId: string, secret: string, now: Date) {
  const performance = await findPerformance(db, organizerId, performanceId);
  if (!performance) throw new DomainError('NOT_FOUND', 'No such performance');
  const [tickets, counts] = await Promise.all([performanceTickets(db, performanceId), countsOf(db, performanceId)]);
  return {
    generatedAt: now.toISOString(),
    performance: { id: performance.id, startsAt: performance.starts_at, eventTitle: performance.event_title, timeZone: performance.time_zone },
    ticketTypes: counts.byType.map((t) => ({ id: t.id, name: t.name })),
    tickets: tickets.map((t) => {
      const state: PreloadState = t.scanned_at !== null ? 'used' : t.order_status === 'paid' ? 'valid' : t.order_status;
      return { hash: payloadHash(ticketQrPayload(secret, t.code)), ticketTypeId: t.ticket_type_id, state, usedAt: t.scanned_at };
    }),
    counts,
  };
}

/** Checked-in and valid tickets of a performance, in all and per ticket type. */
export async function countsOf(db: Db, performanceId: string) {
  const rows = await checkInCounts(db, performanceId);
  const byType = rows.map((r) => ({ id: r.id, name: r.name, valid: Number(r.valid), checkedIn: Number(r.checked_in) }));
  return {
    valid: byType.reduce((n, t) => n + t.valid, 0),
    checkedIn: byType.reduce((n, t) => n + t.checkedIn, 0),
    byType,
  };
}
