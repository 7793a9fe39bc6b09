// Storing orders, their tickets, and the responses remembered for idempotent retries.
import type { Insertable } from 'kysely';
import type { Db, Trx } from '../platform/db/database.ts';
import { isPostgres } from '../platform/db/engine.ts';
import { orderNotice, queueOrderMail } from '../tickets/order-mail-job.ts';
import { recordOrderEvent } from './order-events-db.ts';
import type { IdempotencyKeysTable, OrdersTable, TicketsTable } from '../platform/db/schema.ts';

/** The buyer's name as the box office searches it: Unicode lower case, ё as е (migration 0025). */
export const nameKey = (name: string) => name.normalize('NFKC').toLowerCase().replaceAll('ё', 'е');

/** Locks the order's row until the transaction ends (see lockCart): for decisions read from the order, like what is left to refund. */
export async function lockOrder(trx: Trx, id: string): Promise<void> {
  if (isPostgres(trx)) await trx.selectFrom('orders').select('id').where('id', '=', id).forUpdate().execute();
}

const TICKET_CHUNK = 500;

export async function insertOrder(db: Trx, order: Insertable<OrdersTable>, tickets: Insertable<TicketsTable>[]) {
  await db
    .insertInto('orders')
    .values({ ...order, buyer_name_key: nameKey(order.buyer_name) })
    .execute();
  // In chunks: one statement's bound values are limited (SQLite 32,766; a ticket binds ~10).
  for (let at = 0; at < tickets.length; at += TICKET_CHUNK)
    await db
      .insertInto('tickets')
      .values(tickets.slice(at, at + TICKET_CHUNK))
      .execute();
  await recordOrderEvent(db, {
    orderId: order.id,
    at: order.created_at,
    actor: 'buyer',
    action: 'created',
    details: { status: order.status, total: order.total, paymentMethod: order.payment_method, tickets: tickets.length },
  });
  // A reservation or a free order is confirmed at once; an online one once paid (moveOrder).
  const notice = orderNotice(null, order.status);
  if (notice) await queueOrderMail(db, { orderId: order.id, kind: notice, now: new Date(order.created_at), state: order.status });
}

export function orderNumberTaken(db: Db, number: string) {
  return db
    .selectFrom('orders')
    .select('id')
    .where('number', '=', number)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export function findIdempotentResponse(db: Db, cartId: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('cart_id', '=', cartId).where('key', '=', key).executeTakeFirst();
}

export function rememberResponse(db: Db, row: Insertable<IdempotencyKeysTable>) {
  return db.insertInto('idempotency_keys').values(row).execute();
}

/** A corrected buyer address (the box office resending the tickets). */
export function setOrderEmail(db: Db, orderId: string, email: string) {
  return db.updateTable('orders').set({ buyer_email: email }).where('id', '=', orderId).execute();
}
