// What the ticket documents, the order page and the confirmation mail read: one order with its
// event, performance, organizer, the cart's locale and its tickets (archived ticket types too:
// a ticket keeps the name it was sold under).
import type { Db } from '../platform/db/database.ts';
import { instanceSecret } from '../platform/db/secrets.ts';

/** An instance secret, read without writing (pages and views are GETs); made only the first time. */
export async function readSecret(db: Db, name: string): Promise<string> {
  const row = await db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value ?? instanceSecret(db, name);
}

export async function findOrderDocumentsData(db: Db, orderId: string) {
  const order = await db
    .selectFrom('orders')
    .innerJoin('events', 'events.id', 'orders.event_id')
    .innerJoin('organizers', 'organizers.id', 'orders.organizer_id')
    .innerJoin('performances', 'performances.id', 'orders.performance_id')
    .innerJoin('carts', 'carts.id', 'orders.cart_id')
    .select([
      'orders.id',
      'orders.number',
      'orders.status',
      'orders.payment_method',
      'orders.buyer_email',
      'orders.buyer_name',
      'orders.total',
      'orders.currency',
      'orders.expires_at',
      'orders.access_token_hash',
      'events.title',
      'events.description',
      'events.venue',
      'events.time_zone',
      'events.translations',
      'performances.starts_at',
      'organizers.name as organizer_name',
      'organizers.settings as organizer_settings',
      'carts.locale',
    ])
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
  if (!order) return undefined;
  const tickets = await db
    .selectFrom('tickets')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .select(['tickets.id', 'tickets.code', 'tickets.price', 'ticket_types.name', 'ticket_types.translations'])
    .where('tickets.order_id', '=', orderId)
    .orderBy('tickets.id')
    .execute();
  return { order, tickets };
}

export type OrderDocumentsData = NonNullable<Awaited<ReturnType<typeof findOrderDocumentsData>>>;

/** The order whose page token hashes to `hash` (the orders_access_token index). */
export function findOrderIdByAccessHash(db: Db, hash: string) {
  return db
    .selectFrom('orders')
    .select('id')
    .where('access_token_hash', '=', hash)
    .executeTakeFirst()
    .then((r) => r?.id);
}

/** Records the page token's hash for an order made before tokens were (0023); one that has one keeps it. */
export async function rememberAccessHash(db: Db, orderId: string, hash: string) {
  await db.updateTable('orders').set({ access_token_hash: hash }).where('id', '=', orderId).where('access_token_hash', 'is', null).execute();
}
