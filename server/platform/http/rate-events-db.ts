// Counted uses of limited actions, shared by every process on the database (migration 0027):
// the console's rate limits (platform/http/rate-limit.ts) and the sign-in throttle
// (console/login-throttle.ts). A key's rows are at most its limit, plus the ones of its window
// that have not been swept yet.
import type { Db, Trx } from '../db/database.ts';
import { lockName } from '../db/locks.ts';

/**
 * PostgreSQL: holds this scope and key until the transaction ends, so two instances counting the
 * same key take turns (SQLite's write lock already does). Then deletes the key's uses that left
 * the window and returns the rest, oldest first.
 */
export async function lockRecentUses(trx: Trx, scope: string, key: string, since: string): Promise<string[]> {
  await lockName(trx, 'rate', scope, key);
  await trx.deleteFrom('rate_events').where('scope', '=', scope).where('key', '=', key).where('at', '<=', since).execute();
  const rows = await trx.selectFrom('rate_events').select('at').where('scope', '=', scope).where('key', '=', key).orderBy('at').execute();
  return rows.map((r) => r.at);
}

export function recentUses(db: Db, scope: string, key: string, since: string): Promise<string[]> {
  return db
    .selectFrom('rate_events')
    .select('at')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at')
    .execute()
    .then((rows) => rows.map((r) => r.at));
}

export function addUse(trx: Trx, scope: string, key: string, at: string) {
  return trx.insertInto('rate_events').values({ scope, key, at }).execute();
}

export function forgetUses(db: Db, scope: string, key: string) {
  return db.deleteFrom('rate_events').where('scope', '=', scope).where('key', '=', key).execute();
}

/** Deletes up to `limit` uses older than `before`, any scope (the housekeeping sweep); returns how many. */
export async function deleteOldUses(db: Db, before: string, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('rate_events')
    .where('at', 'in', db.selectFrom('rate_events').select('at').where('at', '<', before).orderBy('at').limit(limit))
    .where('at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
