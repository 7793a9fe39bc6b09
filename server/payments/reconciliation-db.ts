// Reconciliation's queries: when each started, still pending payment is next asked about
// (payments.next_check_at, migration 0021), read from an index holding pending payments only.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/** A started payment is first asked about this long after it started (a notification usually comes sooner). */
export const FIRST_CHECK_MS = 2 * 60_000;
const LONGEST_WAIT_MS = 60 * 60_000;
/** Longer than any provider keeps a checkout open (Stripe: 24 h; YooKassa cancels unpaid ones sooner). */
export const GIVE_UP_AFTER_MS = 48 * 3600_000;

/**
 * When to ask again about a payment created at `createdAt`: after half its age, between
 * FIRST_CHECK_MS and an hour, so a stuck payment is asked about ever less often; null once it is
 * older than GIVE_UP_AFTER_MS (this check is its last).
 */
export function nextCheckAt(createdAt: string, now: Date): string | null {
  const age = now.getTime() - Date.parse(createdAt);
  if (age > GIVE_UP_AFTER_MS) return null;
  return new Date(now.getTime() + Math.min(Math.max(age / 2, FIRST_CHECK_MS), LONGEST_WAIT_MS)).toISOString();
}

/** Asks about a started, still pending payment at `at` (null: no more). */
export function scheduleCheck(db: Db, paymentId: string, at: string | null) {
  return db
    .updateTable('payments')
    .set({ next_check_at: at })
    .where('id', '=', paymentId)
    .where('status', '=', 'pending')
    .where('provider_payment_id', 'is not', null)
    .execute();
}

/** Started payments still pending whose check is due, earliest first (payments_pending_check); a query to execute, so its plan can be checked. */
export function duePaymentChecks(db: Db, now: string, limit: number) {
  return (
    db
      .selectFrom('payments')
      .innerJoin('orders', 'orders.id', 'payments.order_id')
      .select([
        'payments.id',
        'payments.provider',
        'payments.provider_payment_id',
        'payments.created_at',
        'payments.next_check_at',
        'orders.organizer_id',
        'orders.number',
      ])
      // A literal, not a parameter: SQLite uses a partial index only when it can see the query implies its WHERE.
      .where('payments.status', '=', sql.lit('pending'))
      .where('payments.next_check_at', '<=', now)
      .orderBy('payments.next_check_at')
      .limit(limit)
  );
}

export type DueCheck = Awaited<ReturnType<ReturnType<typeof duePaymentChecks>['execute']>>[number];

/**
 * Takes a due check: moves its time on to `next` only if no one else did since it was read
 * (`seen`), so of several processes one asks the provider; returns whether this one took it.
 */
export async function claimCheck(db: Db, paymentId: string, seen: string, next: string | null) {
  const r = await db
    .updateTable('payments')
    .set({ next_check_at: next })
    .where('id', '=', paymentId)
    .where('status', '=', 'pending')
    .where('next_check_at', '=', seen)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The order's payments started at a provider and still pending (payments_order index). */
export function startedPendingPayments(db: Db, orderId: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'provider', 'provider_payment_id'])
    .where('order_id', '=', orderId)
    .where('status', '=', 'pending')
    .where('provider_payment_id', 'is not', null)
    .execute();
}
