// Payments and the order states they move, stored. Every change of an order's status says the
// status it expects, so two deciders (a notification and the expire job) cannot both act. Every
// change that happens is written to the order's history here (order_events), by whoever made it.
import { sql, type Insertable, type Updateable } from 'kysely';
import { jsonObject } from '../platform/db/engine.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { orderNotice, queueOrderMail } from '../tickets/order-mail-job.ts';
import { recordOrderEvent } from '../sales/order-events-db.ts';
import type { OrderStatus, PaymentsTable } from '../platform/db/schema.ts';

export function insertPayment(db: Db, row: Insertable<PaymentsTable>) {
  return db.insertInto('payments').values(row).execute();
}

export function findPayment(db: Db, id: string) {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How many payments the order has started (the payments_order index). */
export async function countPayments(db: Db, orderId: string): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findProviderPayment(db: Db, provider: string, providerPaymentId: string) {
  return db.selectFrom('payments').selectAll().where('provider', '=', provider).where('provider_payment_id', '=', providerPaymentId).executeTakeFirst();
}

export type PaymentRow = NonNullable<Awaited<ReturnType<typeof findPayment>>>;

/**
 * Changes the payment only while it is still in `from`; returns whether it did. A new status goes
 * into the order's history as `payment_<status>`, by `actor` (default: the payment's provider).
 */
export async function movePayment(db: Db, id: string, from: PaymentRow['status'], changes: Updateable<PaymentsTable> & { updated_at: string }, actor?: string) {
  const r = await db.updateTable('payments').set(changes).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  const moved = r.numUpdatedRows > 0n;
  if (moved && changes.status && changes.status !== from) await paymentEvent(db, id, `payment_${changes.status}`, changes.updated_at, actor);
  return moved;
}

/** The payment's event in its order's history, read from the payment itself (its order, provider and amount). */
function paymentEvent(db: Db, id: string, action: string, at: string, actor?: string) {
  return db
    .insertInto('order_events')
    .columns(['order_id', 'at', 'actor', 'action', 'details'])
    .expression(
      db
        .selectFrom('payments')
        .select([
          'order_id',
          sql.val(at).as('at'),
          actor === undefined ? 'provider' : sql.val(actor).as('actor'),
          sql.val(action).as('action'),
          jsonObject(db, [
            ['payment', sql.ref('id')],
            ['provider', sql.ref('provider')],
            ['amount', sql.ref('amount')],
            ['currency', sql.ref('currency')],
          ]).as('details'),
        ])
        .where('id', '=', id),
    )
    .execute();
}

/** Records where the provider took the payment, unless a concurrent start already did. */
export async function recordStarted(db: Db, id: string, providerPaymentId: string, redirectUrl: string, now: string) {
  const r = await db
    .updateTable('payments')
    .set({ provider_payment_id: providerPaymentId, redirect_url: redirectUrl, updated_at: now })
    .where('id', '=', id)
    .where('provider_payment_id', 'is', null)
    .executeTakeFirst();
  if (r.numUpdatedRows > 0n) await paymentEvent(db, id, 'payment_started', now, 'buyer');
}

export function findOrder(db: Db, id: string) {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

/** Who moves an order, and when: the move goes into the order's history as the new status. */
export interface MovedBy {
  /** A console user's email, `api key: <name>`, `buyer`, `system`, or a payment provider's id. */
  actor: string;
  at: string;
  details?: Record<string, unknown>;
}

/** Moves the order from `from` to `to`, recording who did; returns whether it was in `from`. */
export async function moveOrder(db: Trx, id: string, from: OrderStatus, to: OrderStatus, by: MovedBy) {
  const r = await db.updateTable('orders').set({ status: to }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  const moved = r.numUpdatedRows > 0n;
  if (moved) {
    await recordOrderEvent(db, { orderId: id, at: by.at, actor: by.actor, action: to, details: { from, ...by.details } });
    // The buyer hears of it: tickets when paid, a notice when it ends (tickets/order-mail-job.ts).
    const notice = orderNotice(from, to);
    if (notice) await queueOrderMail(db, { orderId: id, kind: notice, now: new Date(by.at), state: to });
  }
  return moved;
}

/** The order's seats per ticket type (its tickets). */
export async function orderLines(db: Db, orderId: string) {
  const rows = await db
    .selectFrom('tickets')
    .select(['ticket_type_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('order_id', '=', orderId)
    .groupBy('ticket_type_id')
    .execute();
  return rows.map((r) => ({ ticketTypeId: r.ticket_type_id, quantity: Number(r.n) }));
}

export function orderTickets(db: Db, orderId: string) {
  return db.selectFrom('tickets').select(['code', 'ticket_type_id', 'price']).where('order_id', '=', orderId).orderBy('id').execute();
}

/**
 * Unpaid orders in `status` whose time ran out (a pending payment's timeout, a reservation's
 * limit), oldest first, from that status's own partial index (orders_pending_expiry,
 * orders_reserved_expiry); a query to execute, so its plan can be checked.
 */
export function dueUnpaidOrders(db: Db, status: 'pending_payment' | 'reserved', now: string, limit: number) {
  return (
    db
      .selectFrom('orders')
      .select('id')
      // A literal, not a parameter: SQLite uses a partial index only when it can see the query implies its WHERE.
      .where('status', '=', sql.lit(status))
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit)
  );
}
