// Storing orders, their tickets, and the responses remembered for idempotent retries.
import type { Insertable } from 'kysely';
import type { Db } from './database.ts';
import { recordOrderEvent } from './order-events.ts';
import type { IdempotencyKeysTable, OrdersTable, TicketsTable } from './schema.ts';

export async function insertOrder(db: Db, order: Insertable<OrdersTable>, tickets: Insertable<TicketsTable>[]) {
  await db.insertInto('orders').values(order).execute();
  if (tickets.length > 0) await db.insertInto('tickets').values(tickets).execute();
  await recordOrderEvent(db, {
    orderId: order.id,
    at: order.created_at,
    actor: 'buyer',
    action: 'created',
    details: { status: order.status, total: order.total, paymentMethod: order.payment_method, tickets: tickets.length },
  });
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
