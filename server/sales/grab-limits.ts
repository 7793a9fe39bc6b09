// No free seat grabbing: one client (an address) may hold only a share of a performance, and
// may create carts and check out only so fast. Both limits are counted in the database, in the
// write transaction that takes the seats, so every process on the file sees the same counts
// and two requests cannot both squeeze under a limit. Carts made with the organizer's API key
// carry no client and are not limited: the organizer vouches for them (box office, groups).
import { createHmac } from 'node:crypto';
import { findCart } from './carts-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { countUse, deleteOldWindows, liveClientHolds, lockClient } from './grab-limits-db.ts';
import type { ClientLimits } from '../platform/config.ts';
import { DomainError } from '../platform/errors.ts';
import type { Store } from '../store.ts';

/** A client under limits: the keyed hash of its address and the limits that apply. */
export interface Client {
  hash: string;
  limits: ClientLimits;
}

/** Old windows deleted per use: more than one is written, so the table stays at live windows. */
const CLEANUP_BATCH = 8;

/** 429 with the seconds until the window turns (sent as Retry-After). */
export class RateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests from your address; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * The address, keyed: HMAC-SHA256 with the instance secret, so the stored value cannot be turned
 * back into the address by trying all of them. IPv6 addresses count by their /64, which one
 * host gets whole (IPv4-mapped ones by their IPv4 address).
 */
export function clientHash(secret: string, address: string): string {
  return createHmac('sha256', secret)
    .update(`client:${addressKey(address)}`)
    .digest('base64url')
    .slice(0, 22);
}

function addressKey(address: string): string {
  const a = address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  if (!a.includes(':')) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Counts a cart creation or checkout in the client's current window; over the limit it throws
 * RateLimited (and, thrown inside a transaction, the count is undone with the request).
 * Each use deletes a few windows that have ended.
 */
export async function takeRate(trx: Db, client: Client, now: Date): Promise<void> {
  const { rate, rateWindowSeconds: w } = client.limits;
  if (rate === Number.POSITIVE_INFINITY) return;
  const seconds = Math.floor(now.getTime() / 1000);
  const windowStart = seconds - (seconds % w);
  await deleteOldWindows(trx, windowStart, CLEANUP_BATCH);
  if ((await countUse(trx, client.hash, windowStart)) > rate) throw new RateLimited(windowStart + w - seconds);
}

/**
 * Throws TOO_MANY_HOLDS unless this client may hold `seats` more seats in one more cart (or in
 * `cartId`, which is left out of the count) on the performance. In the write transaction that
 * takes the seats.
 */
export async function assertClientShare(trx: Trx, client: Client, performanceId: string, seats: number, now: Date, cartId: string | null = null) {
  const { openCarts, heldSeats } = client.limits;
  if (openCarts === Number.POSITIVE_INFINITY && heldSeats === Number.POSITIVE_INFINITY) return;
  await lockClient(trx, client.hash);
  const live = await liveClientHolds(trx, client.hash, performanceId, now.toISOString(), cartId);
  if (live.carts + 1 > openCarts) {
    throw new DomainError('TOO_MANY_HOLDS', `At most ${openCarts} carts holding tickets for one performance at a time; finish or empty one first`, 'items');
  }
  if (live.seats + seats > heldSeats) {
    throw new DomainError('TOO_MANY_HOLDS', `At most ${heldSeats} tickets held for one performance at a time (${live.seats} held already)`, 'items');
  }
}

/**
 * A checkout counts against the rate of the address it comes from, unless its cart was made
 * with the organizer's API key. Its own short transaction, before the checkout's.
 */
export async function takeCheckoutRate(store: Store, cartId: string, client: Client): Promise<void> {
  const cart = await findCart(store.db, cartId);
  if (!cart || cart.client_hash === null) return;
  await store.tx((trx) => takeRate(trx, client, store.now()));
}
