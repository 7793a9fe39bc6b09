// The one place that counts seats. Every change to a cart's items, hold or status is followed,
// in the same write transaction, by syncHold; every order's tickets by addSold (an order keeps
// its seats while pending payment, reserved or paid; releaseSold when it expires or is cancelled). Reading seats
// taken (takenSeats) is then one counter row per performance and ticket type, less the holds
// that have ended but are not released yet — kept few by releaseEndedHolds in the recovery loop.
import { sql } from 'kysely';
import type { Db, Trx } from '../platform/db/database.ts';
import { isPostgres } from '../platform/db/engine.ts';

type Delta = Map<string, { performanceId: string; ticketTypeId: string; held: number; sold: number }>;

function bump(delta: Delta, performanceId: string, ticketTypeId: string, held: number, sold: number) {
  const key = `${performanceId} ${ticketTypeId}`;
  const d = delta.get(key) ?? { performanceId, ticketTypeId, held: 0, sold: 0 };
  d.held += held;
  d.sold += sold;
  delta.set(key, d);
}

async function apply(trx: Trx, delta: Delta) {
  // In key order, as lockSeats locks: two transactions never wait for each other in a circle.
  for (const [, d] of [...delta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (d.held === 0 && d.sold === 0) continue;
    await trx
      .insertInto('inventory')
      // SQLite checks the proposed row's CHECKs before it finds the conflict: a release (negative)
      // always meets an existing row, so the inserted values only need to be valid.
      .values({ performance_id: d.performanceId, ticket_type_id: d.ticketTypeId, sold: Math.max(0, d.sold), held: Math.max(0, d.held) })
      .onConflict((oc) =>
        oc.columns(['performance_id', 'ticket_type_id']).doUpdateSet({ sold: sql`inventory.sold + ${d.sold}`, held: sql`inventory.held + ${d.held}` }),
      )
      .execute();
  }
}

/**
 * Makes the cart's counted hold match the cart: its items while it is open with a hold that has
 * not ended at `now`, nothing otherwise. Must run in the write transaction that changed the cart.
 */
export async function syncHold(trx: Trx, cartId: string, now: string): Promise<void> {
  const cart = await trx.selectFrom('carts').select(['status', 'hold_expires_at', 'performance_id']).where('id', '=', cartId).executeTakeFirstOrThrow();
  const live = cart.status === 'open' && cart.hold_expires_at !== null && cart.hold_expires_at > now;
  const items = live ? await trx.selectFrom('cart_items').select(['ticket_type_id', 'quantity']).where('cart_id', '=', cartId).execute() : [];
  // What this statement deleted, not what a read before it saw: on PostgreSQL the release of
  // ended holds (releaseEndedHolds) may delete and uncount some of them in between.
  const old = await trx.deleteFrom('holds').where('cart_id', '=', cartId).returning(['performance_id', 'ticket_type_id', 'quantity']).execute();
  const delta: Delta = new Map();
  for (const h of old) bump(delta, h.performance_id, h.ticket_type_id, -h.quantity, 0);
  for (const i of items) bump(delta, cart.performance_id, i.ticket_type_id, i.quantity, 0);
  await insertHolds(
    trx,
    cartId,
    cart.performance_id,
    cart.hold_expires_at!,
    items.map((i) => ({ ticketTypeId: i.ticket_type_id, quantity: i.quantity })),
  );
  await apply(trx, delta);
}

/** The cart's counted hold rows, one per ticket type. */
async function insertHolds(trx: Trx, cartId: string, performanceId: string, expiresAt: string, lines: { ticketTypeId: string; quantity: number }[]) {
  if (lines.length === 0) return;
  await trx
    .insertInto('holds')
    .values(lines.map((l) => ({ cart_id: cartId, ticket_type_id: l.ticketTypeId, performance_id: performanceId, quantity: l.quantity, expires_at: expiresAt })))
    .execute();
}

/** syncHold for a cart just created with these lines and hold: nothing to read back. */
export async function holdNewCart(
  trx: Trx,
  cart: { id: string; performanceId: string; expiresAt: string },
  lines: { ticketTypeId: string; quantity: number }[],
) {
  const held = lines.filter((l) => l.quantity > 0);
  await insertHolds(trx, cart.id, cart.performanceId, cart.expiresAt, held);
  const delta: Delta = new Map();
  for (const l of held) bump(delta, cart.performanceId, l.ticketTypeId, l.quantity, 0);
  await apply(trx, delta);
}

/** Counts an order's tickets as sold. In the write transaction that creates the order. */
export async function addSold(trx: Trx, performanceId: string, lines: { ticketTypeId: string; quantity: number }[]) {
  const delta: Delta = new Map();
  for (const l of lines) bump(delta, performanceId, l.ticketTypeId, 0, l.quantity);
  await apply(trx, delta);
}

/** Stops counting an order's seats (it expired or was cancelled unpaid). In the transaction that moves the order. */
export async function releaseSold(trx: Trx, performanceId: string, lines: { ticketTypeId: string; quantity: number }[]) {
  const delta: Delta = new Map();
  for (const l of lines) bump(delta, performanceId, l.ticketTypeId, 0, -l.quantity);
  await apply(trx, delta);
}

/** Releases up to `limit` holds that ended at or before `now`; returns how many. In a write transaction. */
export async function releaseEndedHolds(trx: Trx, now: string, limit: number): Promise<number> {
  const ended = await trx
    .selectFrom('holds')
    .select(['cart_id', 'ticket_type_id', 'performance_id', 'quantity'])
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    // PostgreSQL: rows another transaction is releasing (or re-holding) are left to it.
    .$if(isPostgres(trx), (q) => q.forUpdate().skipLocked())
    .execute();
  const delta: Delta = new Map();
  for (const h of ended) {
    const gone = await trx.deleteFrom('holds').where('cart_id', '=', h.cart_id).where('ticket_type_id', '=', h.ticket_type_id).executeTakeFirst();
    // Only a row this transaction deleted is uncounted: never twice.
    if (Number(gone.numDeletedRows) === 1) bump(delta, h.performance_id, h.ticket_type_id, -h.quantity, 0);
  }
  await apply(trx, delta);
  return ended.length;
}

const key = (performanceId: string, ticketTypeId: string) => `${performanceId} ${ticketTypeId}`;

/** Write transactions whose lockSeats locks nothing: only for the control of the oversell test. */
const unlocked = new WeakSet<object>();
export function withoutSeatLocks(trx: Trx): Trx {
  unlocked.add(trx);
  return trx;
}

export type SeatCount = (performanceId: string, ticketTypeId: string) => number;

/**
 * The one door to taking seats: every path that takes seats (a new or changed hold, a checkout
 * whose hold lapsed, a re-held cart from a reminder link, a payment that arrives after its order
 * expired) and every capacity cut calls this in its write transaction and decides on the count
 * it returns. It locks the inventory rows of these ticket types in these performances, then
 * counts the seats taken (takenSeats). A second transaction after the same seats waits at the
 * lock until the first commits, then counts what the first took: two carts cannot both see the
 * last seat free.
 *
 * - SQLite: the transaction runs under BEGIN IMMEDIATE, which already holds the whole database's
 *   write lock before the first read; there is nothing finer to lock.
 * - PostgreSQL (READ COMMITTED): the rows are locked FOR UPDATE in key order, the order every
 *   writer of inventory uses (apply), so two transactions never wait in a circle; rows missing
 *   (the first hold of a ticket type has none yet, and a missing row cannot be locked) are made
 *   first. The count is a later statement, so it reads everything committed before the lock was
 *   granted. The lock is held to the end of the transaction: callers take it as late as they can
 *   (createCart writes the cart first), since every hold on these seats waits for it.
 */
export async function lockSeats(trx: Trx, performanceIds: string[], ticketTypeIds: string[], now: string, exceptCartId?: string): Promise<SeatCount> {
  if (isPostgres(trx) && !unlocked.has(trx) && performanceIds.length > 0 && ticketTypeIds.length > 0) {
    const performances = [...new Set(performanceIds)].sort();
    const types = [...new Set(ticketTypeIds)].sort();
    const lock = () =>
      trx
        .selectFrom('inventory')
        .select('performance_id')
        .where('performance_id', 'in', performances)
        .where('ticket_type_id', 'in', types)
        .orderBy('performance_id')
        .orderBy('ticket_type_id')
        .forUpdate()
        .execute();
    if ((await lock()).length < performances.length * types.length) {
      await trx
        .insertInto('inventory')
        .values(performances.flatMap((p) => types.map((t) => ({ performance_id: p, ticket_type_id: t, sold: 0, held: 0 }))))
        .onConflict((oc) => oc.columns(['performance_id', 'ticket_type_id']).doNothing())
        .execute();
      await lock();
    }
  }
  // Not folded into the locking SELECT: a statement that waited for a lock sees the locked row's
  // newest version but its own older snapshot of `holds`, and would subtract ended holds that the
  // transaction it waited for had already released. A new statement has a new snapshot.
  return takenSeats(trx, performanceIds, now, exceptCartId);
}

/**
 * Seats taken per performance and ticket type: sold, plus held by holds that have not ended at
 * `now` — a hold stops counting at the instant it ends, released or not. `exceptCartId` leaves
 * out a cart re-checking its own hold. One statement, so one consistent snapshot.
 */
export async function takenSeats(db: Db, performanceIds: string[], now: string, exceptCartId?: string): Promise<SeatCount> {
  if (performanceIds.length === 0) return () => 0;
  const own = exceptCartId
    ? sql`coalesce((select sum(o.quantity) from holds o where o.cart_id = ${exceptCartId} and o.ticket_type_id = i.ticket_type_id and o.expires_at > ${now}), 0)`
    : sql`0`;
  const rows = await db
    .selectFrom('inventory as i')
    .select([
      'i.performance_id',
      'i.ticket_type_id',
      sql<number>`i.sold + i.held
        - coalesce((select sum(e.quantity) from holds e where e.performance_id = i.performance_id and e.ticket_type_id = i.ticket_type_id and e.expires_at <= ${now}), 0)
        - ${own}`.as('n'),
    ])
    .where('i.performance_id', 'in', performanceIds)
    .execute();
  const taken = new Map(rows.map((r) => [key(r.performance_id, r.ticket_type_id), Number(r.n)]));
  return (performanceId, ticketTypeId) => taken.get(key(performanceId, ticketTypeId)) ?? 0;
}
