// The box office's own moves on an order: a reservation paid at the desk, an order cancelled.
// Each is a conditional update from the state the order was read in (moveOrder), inside one
// write transaction: a double click, or a payment notification landing at the same moment,
// finds the order moved and gets 409 ORDER_STATE instead of applying twice.
import { findConsoleOrder } from './orders-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { releaseSold } from '../sales/inventory.ts';
import { releaseDiscount } from '../sales/promo-codes-db.ts';
import type { OrderStatus } from '../platform/db/schema.ts';
import { moveOrder, orderLines } from '../payments/payments-db.ts';
import { DomainError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { recordOrderEvent } from '../sales/order-events-db.ts';
import { setOrderEmail } from '../sales/orders-db.ts';
import { queueOrderMail } from '../tickets/order-mail-job.ts';
import { emitOrderState } from '../webhooks/events.ts';

/**
 * States an order may be cancelled from: unpaid ones. A paid order is refunded instead (a full
 * refund ends it and releases its seats): cancelling it would keep the buyer's money.
 */
export const CANCELLABLE: readonly OrderStatus[] = ['pending_payment', 'reserved'];

async function ownOrder(trx: Db, organizerId: string, orderId: string) {
  const order = await findConsoleOrder(trx, organizerId, orderId);
  if (!order) throw new DomainError('NOT_FOUND', 'No such order');
  return order;
}

/** A box-office reservation paid at the desk: `reserved` → `paid`, tickets as they are. */
export async function markOrderPaid(trx: Trx, organizerId: string, orderId: string, now: Date, actor: string) {
  const order = await ownOrder(trx, organizerId, orderId);
  if (order.status !== 'reserved' || !(await moveOrder(trx, order.id, 'reserved', 'paid', { actor, at: now.toISOString() }))) {
    throw new DomainError('ORDER_STATE', `Only a reserved order can be marked paid; this one is ${order.status}`);
  }
  await emitOrderState(trx, { organizerId, orderId: order.id, type: 'order.paid', now });
}

/** Cancels the order and gives its seats back to the performance. */
export async function cancelOrder(trx: Trx, organizerId: string, orderId: string, now: Date, actor: string) {
  const order = await ownOrder(trx, organizerId, orderId);
  if (!CANCELLABLE.includes(order.status) || !(await moveOrder(trx, order.id, order.status, 'cancelled', { actor, at: now.toISOString() }))) {
    throw new DomainError(
      'ORDER_STATE',
      order.status === 'paid'
        ? 'This order is paid: refund it instead (a full refund ends it and releases the seats)'
        : `This order is ${order.status}: it cannot be cancelled`,
    );
  }
  await releaseSold(trx, order.performance_id, await orderLines(trx, order.id));
  // An order cancelled before it was paid never used its code: the use goes back (a paid one keeps it).
  if (order.discount_code && order.status !== 'paid') await releaseDiscount(trx, order.discount_code, order.id);
  await emitOrderState(trx, { organizerId, orderId: order.id, type: 'order.cancelled', now });
}

/**
 * Sends the order's confirmation again — to the same address, or to a corrected one, which then
 * becomes the order's (later notices go there too; the history says who changed it from what).
 * Only for an order that has tickets to send (paid or reserved).
 */
export async function resendConfirmation(trx: Trx, organizerId: string, orderId: string, o: { email?: string; now: Date; actor: string }) {
  const order = await ownOrder(trx, organizerId, orderId);
  if (order.status !== 'paid' && order.status !== 'reserved') {
    throw new DomainError('ORDER_STATE', `This order is ${order.status}: it has no tickets to send`);
  }
  const at = o.now.toISOString();
  const to = o.email ?? order.buyer_email;
  if (to !== order.buyer_email) {
    await setOrderEmail(trx, order.id, to);
    await recordOrderEvent(trx, { orderId: order.id, at, actor: o.actor, action: 'email_changed', details: { from: order.buyer_email, to } });
  }
  await recordOrderEvent(trx, { orderId: order.id, at, actor: o.actor, action: 'confirmation_resent', details: { to } });
  // Its own key: every resend asked for is sent (the original's key stays taken).
  await queueOrderMail(trx, { orderId: order.id, kind: 'confirmation', now: o.now, state: `resend-${newId('rs')}` });
}
