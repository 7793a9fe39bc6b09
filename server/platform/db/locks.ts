// Named locks for decisions that read before they write and must not be made twice at once when
// nothing row-shaped can be locked (a count of rows, a limit, a key with no row yet). On
// PostgreSQL a transaction-scoped advisory lock on the name's hash, held until commit or
// rollback; on SQLite nothing, as the write transaction already holds the whole database.
import { sql } from 'kysely';
import type { Trx } from './database.ts';
import { isPostgres } from './engine.ts';

/** Waits for and holds the lock named by `parts` (joined; e.g. 'team', organizerId) until the transaction ends. */
export async function lockName(trx: Trx, ...parts: string[]): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtextextended(${parts.join('\n')}, 0))`.execute(trx);
}
