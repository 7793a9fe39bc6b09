// Opening the database, migrating it, and the one way to write atomically.
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type Migration } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.ts';
import * as core from './migrations/2026_11_27_0001_core.ts';
import * as recovery from './migrations/2026_11_27_0002_recovery.ts';
import * as console_ from './migrations/2026_11_27_0003_console.ts';
import * as stats from './migrations/2026_11_27_0004_stats.ts';
import * as webhooks from './migrations/2026_11_27_0005_webhooks.ts';
import * as buyerAnswers from './migrations/2026_11_27_0006_buyer_answers.ts';
import * as statsSpeed from './migrations/2026_11_27_0008_stats_speed.ts';

export type Db = Kysely<Database>;

const migrations: Record<string, Migration> = {
  '2026_11_27_0001_core': core,
  '2026_11_27_0002_recovery': recovery,
  '2026_11_27_0003_console': console_,
  '2026_11_27_0004_stats': stats,
  '2026_11_27_0005_webhooks': webhooks,
  '2026_11_27_0006_buyer_answers': buyerAnswers,
  '2026_11_27_0008_stats_speed': statsSpeed,
};

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes may share the file; a writer waits for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // Stats read large index ranges: a 64 MB page cache and memory-mapped reads keep them in memory.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** Runs `fn` inside a write transaction and returns what it returns. */
export type WriteTransaction = <T>(fn: (trx: Db) => Promise<T>) => Promise<T>;

/**
 * BEGIN IMMEDIATE takes SQLite's write lock before the first read, so a check of availability
 * and the write that depends on it cannot interleave with another writer — in this process
 * (Kysely hands the single connection to one transaction at a time) or in another process
 * sharing the file (which waits on busy_timeout).
 */
export function immediateTransactions(db: Db): WriteTransaction {
  return (fn) =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    });
}

/**
 * No guard at all: each statement commits on its own. Only for the concurrency test's control,
 * which shows that without the guard the same workload oversells.
 */
export function unguardedWrites(db: Db): WriteTransaction {
  return (fn) => fn(db);
}
