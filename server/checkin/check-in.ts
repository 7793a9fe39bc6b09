// What the door is told about a scanned or typed ticket. The payload's check is verified before
// anything is looked up (a forged or mistyped code costs no query); the ticket is then looked up
// only among the signed-in organizer's, so another organizer's ticket is `unknown`, exactly as
// a made-up one. Only a paid order admits: a box-office reservation is not valid until it is
// paid at the desk (the answer says so and names the order, which the box office can mark paid).
import { recordOrderEvent } from '../sales/order-events-db.ts';
import { DomainError } from '../platform/errors.ts';
import type { Store } from '../store.ts';
import { openTicketQr } from '../tickets/ticket-code.ts';
import { claimCheckIn, deleteCheckIn, findCheckIn, findPerformance, findTicketForCheckIn, type Scan } from './checkin-db.ts';

export type NotValidReason = 'reserved' | 'pending_payment' | 'cancelled' | 'expired' | 'refunded';

export type CheckInAnswer =
  | { result: 'valid'; ticket: TicketView; checkedInAt: string }
  | { result: 'already_used'; ticket: TicketView; checkedInAt: string; by: string; deviceId: string | null }
  | { result: 'wrong_performance'; ticket: TicketView; performance: { id: string; startsAt: string; eventTitle: string; timeZone: string } }
  | { result: 'not_valid'; reason: NotValidReason; ticket: TicketView; order: { id: string; number: string } }
  | { result: 'unknown' };

interface TicketView {
  ticketType: string;
  buyerName: string;
  orderNumber: string;
}

export interface CheckInRequest {
  organizerId: string;
  actor: string;
  /** The instance's ticket secret (tickets/ticket-code.ts). */
  secret: string;
  payload: string;
  performanceId: string;
  deviceId?: string;
  /** When a device that was offline made the scan; never later than now. */
  scannedAt?: string;
}

/** How the admission is written; the concurrency test's control swaps in an unguarded one. */
export type Claim = (db: Store['db'], scan: Scan) => Promise<boolean>;

export async function checkIn(store: Store, r: CheckInRequest, claim: Claim = claimCheckIn): Promise<CheckInAnswer> {
  const now = store.now().toISOString();
  const performance = await findPerformance(store.db, r.organizerId, r.performanceId);
  if (!performance) throw new DomainError('NOT_FOUND', 'No such performance', 'performanceId');
  const code = openTicketQr(r.secret, r.payload);
  if (!code) return { result: 'unknown' };
  const t = await findTicketForCheckIn(store.db, r.organizerId, code);
  if (!t) return { result: 'unknown' };

  const ticket: TicketView = { ticketType: t.ticket_type_name, buyerName: t.buyer_name, orderNumber: t.order_number };
  if (t.order_status !== 'paid') return { result: 'not_valid', reason: t.order_status, ticket, order: { id: t.order_id, number: t.order_number } };
  if (t.performance_id !== r.performanceId) {
    return {
      result: 'wrong_performance',
      ticket,
      performance: { id: t.performance_id, startsAt: t.starts_at, eventTitle: t.event_title, timeZone: t.time_zone },
    };
  }

  const scannedAt = r.scannedAt && r.scannedAt < now ? r.scannedAt : now;
  if (t.scanned_at !== null && t.scanned_at <= scannedAt) {
    return { result: 'already_used', ticket, checkedInAt: t.scanned_at, by: t.actor!, deviceId: t.device_id };
  }
  const scan: Scan = { ticketId: t.id, performanceId: t.performance_id, scannedAt, recordedAt: now, actor: r.actor, deviceId: r.deviceId ?? null };
  const won = await store.tx(async (trx) => {
    if (!(await claim(trx, scan))) return false;
    await recordOrderEvent(trx, { orderId: t.order_id, at: now, actor: r.actor, action: 'checked_in', details: { ticket: code.slice(-6), scannedAt } });
    return true;
  });
  // An offline scan made before an admission already recorded (another door, online) takes the
  // record's place — attendance keeps the first time — but the ticket let two people in: the
  // syncing door is told so, with the other admission, never a plain "valid".
  if (won && t.scanned_at !== null) return { result: 'already_used', ticket, checkedInAt: t.scanned_at, by: t.actor!, deviceId: t.device_id };
  if (won) return { result: 'valid', ticket, checkedInAt: scannedAt };
  const first = (await findCheckIn(store.db, t.id))!;
  return { result: 'already_used', ticket, checkedInAt: first.scanned_at, by: first.actor, deviceId: first.device_id };
}

/** Undoes a mistaken check-in (the ticket admits again); NOT_FOUND when it was not checked in. */
export async function undoCheckIn(store: Store, r: { organizerId: string; actor: string; secret: string; payload: string }): Promise<void> {
  const code = openTicketQr(r.secret, r.payload);
  const t = code ? await findTicketForCheckIn(store.db, r.organizerId, code) : undefined;
  if (!code || !t) throw new DomainError('NOT_FOUND', 'No such ticket', 'payload');
  const now = store.now().toISOString();
  const undone = await store.tx(async (trx) => {
    if (!(await deleteCheckIn(trx, t.id))) return false;
    await recordOrderEvent(trx, { orderId: t.order_id, at: now, actor: r.actor, action: 'check_in_undone', details: { ticket: code.slice(-6) } });
    return true;
  });
  if (!undone) throw new DomainError('NOT_FOUND', 'This ticket is not checked in', 'payload');
}
