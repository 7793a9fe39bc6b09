// Payment abandonment: a buyer checked out, was sent to pay, and never completed it. When the
// order's payment time runs out (the expire job), its cart is given back as a new open cart —
// an order belongs to one cart, so the checked-out one stays with its expired order, as the
// buyer's widget shows it. The new cart carries the same buyer, consent, page and items, its
// hold ended when the payment time did, and `order_id` names the expired order: that makes it
// of kind 'payment'. The abandonment scan finds it through the same index as any left cart (no
// query of its own), its series uses the payment wording, and the link's resume re-holds the
// same seats where free; checkout then makes a new order and payment.
import { findCart, insertCart, lockCart, insertCartItems, listCartItems, type CartRow } from '../sales/carts-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { findOrder } from '../payments/payments-db.ts';
import { moveActiveSeries } from './recovery-db.ts';
import { hashSecret, newId, newSecret } from '../platform/ids.ts';

export type AbandonmentKind = 'cart' | 'payment';

/** 'payment' for an open cart given back for an order whose payment never came; else 'cart'. */
export const abandonmentKind = (cart: Pick<CartRow, 'status' | 'order_id'>): AbandonmentKind =>
  cart.status === 'open' && cart.order_id !== null ? 'payment' : 'cart';

/**
 * In the expire job's transaction, for an order it just expired (`order` as read before the
 * move): an online order's cart is given back for recovery. A box-office reservation that
 * expires is not payment abandonment.
 */
export async function giveBackUnpaidCart(trx: Trx, order: { id: string; cart_id: string; status: string; expires_at: string | null }, now: Date) {
  if (order.status !== 'pending_payment') return;
  await lockCart(trx, order.cart_id);
  const cart = await findCart(trx, order.cart_id);
  if (!cart || cart.order_id !== order.id || !cart.buyer_email) return;
  const { id: _, ...kept } = cart;
  const id = newId('crt');
  await insertCart(trx, {
    ...kept,
    id,
    // Only a reminder's link opens it, with a token of its own.
    token_hash: hashSecret(newSecret()),
    status: 'open',
    completed_at: null,
    order_id: order.id,
    abandoned_at: null,
    hold_expires_at: order.expires_at ?? now.toISOString(),
    created_at: now.toISOString(),
  });
  const items = await listCartItems(trx, cart.id);
  await insertCartItems(
    trx,
    id,
    items.map((i) => ({ ticketTypeId: i.ticket_type_id, quantity: i.quantity, unitPrice: i.unit_price })),
  );
  // A series begun for the cart before checkout goes on with the cart given back.
  await moveActiveSeries(trx, cart.id, id);
}

/** Whether the order a given-back cart came from was paid after all (a late payment took its seats again). */
export async function paidAfterAll(trx: Db, cart: Pick<CartRow, 'status' | 'order_id'>) {
  if (abandonmentKind(cart) !== 'payment') return false;
  const status = (await findOrder(trx, cart.order_id!))?.status;
  return status !== undefined && status !== 'pending_payment' && status !== 'expired' && status !== 'cancelled';
}
