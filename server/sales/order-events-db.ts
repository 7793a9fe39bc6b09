// An order's history: who did what, when. Written in the transaction of the change it records
// (payments-db.ts moveOrder and movePayment write theirs themselves, so no caller can forget),
// read per order in time order (order_events_order).
import type { Db } from '../platform/db/database.ts';

export interface OrderEvent {
  orderId: string;
  at: string;
  /** A console user's email, `api key: <name>`, `buyer`, `system`, or a payment provider's id. */
  actor: string;
  action: string;
  details?: Record<string, unknown>;
}

export function recordOrderEvent(db: Db, e: OrderEvent) {
  return db
    .insertInto('order_events')
    .values({ order_id: e.orderId, at: e.at, actor: e.actor, action: e.action, details: e.details ? JSON.stringify(e.details) : null })
    .execute();
}

export function orderHistory(db: Db, orderId: string) {
  return db.selectFrom('order_events').select(['at', 'actor', 'action', 'details']).where('order_id', '=', orderId).orderBy('at').orderBy('id').execute();
}
