// The console's orders: a page of an organizer's orders (search and filters, newest first, keyset
// paged on (created_at, id) so a deep page costs what the first does), one order in full.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { nameKey } from '../sales/orders-db.ts';
import type { OrderStatus } from '../platform/db/schema.ts';

export interface OrderFilter {
  q?: string;
  eventId?: string;
  performanceId?: string;
  status?: OrderStatus;
  paymentMethod?: string;
  createdFrom?: string;
  createdTo?: string;
}

export interface OrderCursor {
  createdAt: string;
  id: string;
}

/**
 * A page of orders, newest first. Each path is an index range: search narrows to the ids its
 * indexes find (number, email, phone, name prefix, ticket code); else the filter picks the index
 * (performance, event, status or the organizer's) and the cursor starts inside it.
 */
export function listOrdersQuery(db: Db, organizerId: string, f: OrderFilter, after: OrderCursor | null, limit: number) {
  const text = f.q?.trim();
  const name = nameKey(text ?? '');
  // Search first finds its few ids through their own indexes; CROSS JOIN keeps SQLite from
  // turning it around and walking the organizer's orders to test each one against them.
  const base = text
    ? db
        .selectFrom(
          db
            .selectFrom('orders')
            .select('id')
            .where('number', '=', text.toUpperCase())
            .unionAll(db.selectFrom('orders').select('id').where('organizer_id', '=', organizerId).where('buyer_email', '=', text.toLowerCase()))
            .unionAll(db.selectFrom('orders').select('id').where('organizer_id', '=', organizerId).where('buyer_phone', '=', text))
            .unionAll(
              db
                .selectFrom('orders')
                .select('id')
                .where('organizer_id', '=', organizerId)
                .where('buyer_name_key', '>=', name)
                .where('buyer_name_key', '<', `${name}\uffff`),
            )
            .unionAll(db.selectFrom('tickets').select('order_id as id').where('code', '=', text.toUpperCase()))
            .as('m'),
        )
        .crossJoin('orders as o')
        .whereRef('o.id', '=', 'm.id')
        .distinct()
    : db.selectFrom('orders as o');
  let q = base
    .innerJoin('events as e', 'e.id', 'o.event_id')
    .innerJoin('performances as p', 'p.id', 'o.performance_id')
    .select([
      'o.id',
      'o.number',
      'o.status',
      'o.payment_method',
      'o.total',
      'o.currency',
      'o.created_at',
      'o.buyer_email',
      'o.buyer_name',
      'o.buyer_phone',
      'o.event_id',
      'o.performance_id',
      'e.title as event_title',
      'e.time_zone',
      'p.starts_at as performance_starts_at',
    ])
    .where('o.organizer_id', '=', organizerId);
  if (f.performanceId) q = q.where('o.performance_id', '=', f.performanceId);
  if (f.eventId) q = q.where('o.event_id', '=', f.eventId);
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.paymentMethod) q = q.where('o.payment_method', '=', f.paymentMethod);
  if (f.createdFrom) q = q.where('o.created_at', '>=', f.createdFrom);
  if (f.createdTo) q = q.where('o.created_at', '<', f.createdTo);
  if (after) q = q.where(sql<boolean>`(o.created_at, o.id) < (${after.createdAt}, ${after.id})`);
  return q.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(limit);
}

export type OrderListRow = Awaited<ReturnType<ReturnType<typeof listOrdersQuery>['execute']>>[number];

/** The organizer's order, with its show; undefined for anyone else's. */
export function findConsoleOrder(db: Db, organizerId: string, id: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('events as e', 'e.id', 'o.event_id')
    .innerJoin('performances as p', 'p.id', 'o.performance_id')
    .selectAll('o')
    .select(['e.title as event_title', 'e.slug as event_slug', 'e.time_zone', 'p.starts_at as performance_starts_at'])
    .where('o.id', '=', id)
    .where('o.organizer_id', '=', organizerId)
    .executeTakeFirst();
}

export function consoleOrderTickets(db: Db, orderId: string) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('ticket_types as tt', 'tt.id', 't.ticket_type_id')
    .select(['t.code', 't.ticket_type_id', 't.price', 'tt.name'])
    .where('t.order_id', '=', orderId)
    .orderBy('t.id')
    .execute();
}

export function consoleOrderPayments(db: Db, orderId: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'provider', 'provider_payment_id', 'amount', 'currency', 'status', 'created_at', 'updated_at'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
}
