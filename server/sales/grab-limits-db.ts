// What the per-client limits read and write (sales/grab-limits.ts). Both run inside the write
// transaction that takes the seats: SQLite's write lock serialises them across processes; on
// PostgreSQL the count is one atomic upsert and the holds check runs under lockClient.
import { sql } from 'kysely';
import type { Db, Trx } from '../platform/db/database.ts';
import { isPostgres } from '../platform/db/engine.ts';
import { lockName } from '../platform/db/locks.ts';

/**
 * This client's carts holding seats on the performance at `now`, and the seats they hold,
 * leaving out `exceptCartId`. Reads carts_client_holds (open carts with a client, by hold end):
 * only live holds, never the client's history. The literal status lets SQLite use the partial index.
 */
export async function liveClientHolds(trx: Db, clientHash: string, performanceId: string, now: string, exceptCartId: string | null) {
  const row = await sql<{ carts: number; seats: number }>`
    select count(*) as carts, coalesce(sum((select sum(h.quantity) from holds h where h.cart_id = c.id)), 0) as seats
    from carts c ${isPostgres(trx) ? sql`` : sql`indexed by carts_client_holds`}
    where c.client_hash = ${clientHash} and c.performance_id = ${performanceId} and c.status = 'open'
      and c.client_hash is not null and c.hold_expires_at > ${now} and c.id <> ${exceptCartId ?? ''}`.execute(trx);
  const r = row.rows[0]!;
  return { carts: Number(r.carts), seats: Number(r.seats) };
}

/**
 * PostgreSQL: takes a lock on this client until the transaction ends, so two of the client's
 * requests on different instances cannot both count the same live holds and both pass
 * (liveClientHolds reads, the caller decides, the write follows). SQLite's write lock already
 * serialises them.
 */
export async function lockClient(trx: Trx, clientHash: string): Promise<void> {
  await lockName(trx, 'client', clientHash);
}

/** Counts one use in the client's window; returns the count including it. */
export async function countUse(trx: Db, clientHash: string, windowStart: number): Promise<number> {
  const row = await trx
    .insertInto('client_rates')
    .values({ client_hash: clientHash, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['client_hash', 'window_start']).doUpdateSet({ count: sql`client_rates.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Deletes up to `limit` windows that started before `before` (any client): a few per use keep the table to live windows. */
export async function deleteOldWindows(trx: Db, before: number, limit: number): Promise<void> {
  await sql`delete from client_rates where (client_hash, window_start) in
    (select client_hash, window_start from client_rates where window_start < ${before} order by window_start limit ${limit})`.execute(trx);
}
