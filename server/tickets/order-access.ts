// The buyer's way into their order without signing in: /o/<token> on the API origin. The token
// is an HMAC of the order id under the instance's `order-pages` secret (32 base64url symbols,
// 192 bits), so the confirmation, a resend and the widget's done screen all link the same page
// without the token being stored; the database keeps only its SHA-256, to find the order by.
import { createHash, createHmac } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import { findOrderIdByAccessHash, readSecret, rememberAccessHash } from './tickets-db.ts';

export const orderAccessHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The order's page token; nothing is written (the caller stores its hash with the order). */
export async function orderPageToken(db: Db, orderId: string): Promise<string> {
  const secret = await readSecret(db, 'order-pages');
  return createHmac('sha256', secret).update(`order-page:${orderId}`).digest('base64url').slice(0, 32);
}

/** The order's page token, its hash stored if the order has none yet (an order made before 0023). */
export async function ensureOrderPageToken(db: Db, order: { id: string; access_token_hash: string | null }): Promise<string> {
  const token = await orderPageToken(db, order.id);
  if (order.access_token_hash === null) await rememberAccessHash(db, order.id, orderAccessHash(token));
  return token;
}

/** The order page's path on the API origin. */
export const orderPagePath = (token: string) => `/o/${token}`;

/** The order a page token opens, or undefined for anything else (made up, mistyped, of a deleted order). */
export async function orderByPageToken(db: Db, token: string): Promise<string | undefined> {
  if (!/^[\w-]{32}$/.test(token)) return undefined;
  return findOrderIdByAccessHash(db, orderAccessHash(token));
}
