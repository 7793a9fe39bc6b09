// Refunds, stored. A refund is admitted by one conditional update of its order (reserveRefund):
// refunded-or-being-refunded never passes the order's total, however many requests race. A
// refund leaves `pending` once (moveRefund), so a retry and a late answer cannot both finish it.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { RefundsTable } from '../platform/db/schema.ts';

/** Counts `amount` as refunded on a paid order if it still fits in its total; returns whether it did. */
export async function reserveRefund(db: Db, orderId: string, amount: number) {
  const r = await db
    .updateTable('orders')
    .set({ refunded_amount: sql`refunded_amount + ${amount}` })
    .where('id', '=', orderId)
    .where('status', '=', 'paid')
    .where(sql<boolean>`refunded_amount + ${amount} <= total`)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** A refund the provider refused for good no longer counts against the order. */
export function unreserveRefund(db: Db, orderId: string, amount: number) {
  return db
    .updateTable('orders')
    .set({ refunded_amount: sql`case when refunded_amount > ${amount} then refunded_amount - ${amount} else 0 end` })
    .where('id', '=', orderId)
    .execute();
}

export function insertRefund(db: Db, row: Insertable<RefundsTable>) {
  return db.insertInto('refunds').values(row).execute();
}

export function findRefund(db: Db, id: string) {
  return db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
}

export type RefundRow = NonNullable<Awaited<ReturnType<typeof findRefund>>>;

/** Changes the refund only while it is still in `from`; returns whether it did. */
export async function moveRefund(db: Db, id: string, from: RefundRow['status'], changes: Updateable<RefundsTable>) {
  const r = await db.updateTable('refunds').set(changes).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Takes a due pending refund for one attempt: moves its next attempt to `until`, so another
 * worker's round skips it meanwhile. Returns whether this caller got it.
 */
export async function claimRefund(db: Db, id: string, now: string, until: string) {
  const r = await db
    .updateTable('refunds')
    .set({ next_attempt_at: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Pending refunds due for an attempt, oldest first (refunds_pending holds only pending rows); a query, so its plan can be checked. */
export function dueRefunds(db: Db, now: string, limit: number) {
  return (
    db
      .selectFrom('refunds')
      .select('id')
      // A literal, not a parameter: SQLite uses a partial index only when it can see the query implies its WHERE.
      .where('status', '=', sql.lit('pending'))
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
  );
}

/** Payments whose money must go back (payments_refund_due holds only those), oldest first. */
export function refundDuePayments(db: Db, limit: number) {
  return db
    .selectFrom('payments')
    .select(['id', 'order_id', 'provider', 'amount', 'currency'])
    .where('status', '=', sql.lit('refund_due'))
    .orderBy('updated_at')
    .limit(limit);
}

/** What refunds of the order (of one of its payments, if given) have given back. */
export async function refundedTotal(db: Db, orderId: string, paymentId?: string) {
  let q = db
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('sum'))
    .where('order_id', '=', orderId)
    .where('status', '=', 'succeeded');
  if (paymentId) q = q.where('payment_id', '=', paymentId);
  return Number((await q.executeTakeFirstOrThrow()).sum);
}

export function orderRefunds(db: Db, orderId: string) {
  return db
    .selectFrom('refunds')
    .select(['id', 'payment_id', 'provider', 'amount', 'currency', 'status', 'reason', 'actor', 'attempts', 'last_error', 'created_at', 'updated_at'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
}

/** The payment that took the order's money, if a provider took it. */
export function succeededPayment(db: Db, orderId: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '=', 'succeeded')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
}
