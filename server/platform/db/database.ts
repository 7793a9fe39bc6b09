// Opening the database (a SQLite file, or PostgreSQL when given a postgres:// URL), migrating
// it, and the one way to write atomically.
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { engineOf } from './engine.ts';
import type { Database } from './schema.ts';
export { engineOf, type Engine } from './engine.ts';
import * as core from './migrations/2026_11_27_0001_core.ts';
import * as recovery from './migrations/2026_11_27_0002_recovery.ts';
import * as console_ from './migrations/2026_11_27_0003_console.ts';
import * as stats from './migrations/2026_11_27_0004_stats.ts';
import * as webhooks from './migrations/2026_11_27_0005_webhooks.ts';
import * as buyerAnswers from './migrations/2026_11_27_0006_buyer_answers.ts';
import * as statsSpeed from './migrations/2026_11_27_0008_stats_speed.ts';
import * as hotPaths from './migrations/2026_12_01_0009_hot_paths.ts';
import * as inventory from './migrations/2026_12_01_0010_inventory.ts';
import * as refusedOrigins from './migrations/2026_12_01_0011_refused_origins.ts';
import * as archive from './migrations/2026_12_01_0012_archive.ts';
import * as translations from './migrations/2026_12_01_0013_translations.ts';
import * as clientLimits from './migrations/2026_12_01_0014_client_limits.ts';
import * as payments from './migrations/2026_12_01_0015_payments.ts';
import * as ordersConsole from './migrations/2026_12_01_0016_orders_console.ts';
import * as statsPaid from './migrations/2026_12_01_0017_stats_paid.ts';
import * as consoleRoles from './migrations/2026_12_01_0018_console_roles.ts';
import * as promoCodes from './migrations/2026_12_01_0019_promo_codes.ts';
import * as refunds from './migrations/2026_12_01_0020_refunds.ts';
import * as expiryReconciliation from './migrations/2026_12_01_0021_expiry_reconciliation.ts';
import * as jobs from './migrations/2026_12_01_0022_jobs.ts';
import * as orderPages from './migrations/2026_12_01_0023_order_pages.ts';
import * as checkins from './migrations/2026_12_01_0024_checkins.ts';
import * as orderNameSearch from './migrations/2026_12_01_0025_order_name_search.ts';
import * as jobsRetention from './migrations/2026_12_01_0026_jobs_retention.ts';
import * as rateEvents from './migrations/2026_12_01_0027_rate_events.ts';
import * as resumeDevice from './migrations/2026_12_01_0028_resume_device.ts';
import * as accounts from './migrations/2026_12_01_0029_accounts.ts';

export type Db = Kysely<Database>;

declare const inWriteTransaction: unique symbol;
/**
 * A handle inside a write transaction. A function that must run inside one (it reads something
 * and writes what depends on it, or locks rows) takes `Trx`; a plain `Db` does not type-check there.
 */
export type Trx = Db & { readonly [inWriteTransaction]: true };

export const isPostgresUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

export const migrations: Record<string, Migration> = {
  '2026_11_27_0001_core': core,
  '2026_11_27_0002_recovery': recovery,
  '2026_11_27_0003_console': console_,
  '2026_11_27_0004_stats': stats,
  '2026_11_27_0005_webhooks': webhooks,
  '2026_11_27_0006_buyer_answers': buyerAnswers,
  '2026_11_27_0008_stats_speed': statsSpeed,
  '2026_12_01_0009_hot_paths': hotPaths,
  '2026_12_01_0010_inventory': inventory,
  '2026_12_01_0011_refused_origins': refusedOrigins,
  '2026_12_01_0012_archive': archive,
  '2026_12_01_0013_translations': translations,
  '2026_12_01_0014_client_limits': clientLimits,
  '2026_12_01_0015_payments': payments,
  '2026_12_01_0016_orders_console': ordersConsole,
  '2026_12_01_0017_stats_paid': statsPaid,
  '2026_12_01_0018_console_roles': consoleRoles,
  '2026_12_01_0019_promo_codes': promoCodes,
  '2026_12_01_0020_refunds': refunds,
  '2026_12_01_0021_expiry_reconciliation': expiryReconciliation,
  '2026_12_01_0022_jobs': jobs,
  '2026_12_01_0023_order_pages': orderPages,
  '2026_12_01_0024_checkins': checkins,
  '2026_12_01_0025_order_name_search': orderNameSearch,
  '2026_12_01_0026_jobs_retention': jobsRetention,
  '2026_12_01_0027_rate_events': rateEvents,
  '2026_12_01_0028_resume_device': resumeDevice,
  '2026_12_01_0029_accounts': accounts,
};

const STATEMENT_BUSY_MS = 200;
const STATEMENT_CACHE_SIZE = 500;

export interface OpenOptions {
  /** Sees every statement run (benches and tests print or check their plans). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  /** PostgreSQL: connections per process (default 10). */
  poolSize?: number;
}

/** `target`: a SQLite file path, or a `postgres://` URL. */
export function openDatabase(target: string, o: OpenOptions = {}): Db {
  return isPostgresUrl(target) ? openPostgres(target, o) : openSqlite(target, o);
}

/**
 * pg returns 64-bit integers (count(*), sum of integers) and numerics as strings, to be exact
 * past 2^53. Every such value here is a count or an amount in minor units, far below that.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * Each connection prepares a statement the first time it runs its text and reuses it after
 * (PostgreSQL then skips parsing and, after a few runs, planning): Kysely sends the same texts
 * again and again with only the parameters changing. Past PREPARED_PER_CONNECTION texts (only
 * queries with varying `in (…)` lists make new ones) statements run unprepared. The benches'
 * cart creation on one instance went from 269 to 326 a second with it.
 */
const PREPARED_PER_CONNECTION = 500;

function preparing(pool: pg.Pool): pg.Pool {
  const names = new WeakMap<pg.PoolClient, Map<string, string>>();
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient>;
  // Kysely asks for connections as promises; pg-pool's own callers pass a callback and get the original.
  pool.connect = ((callback?: unknown) => (callback ? connect(callback) : prepare())) as typeof pool.connect;
  return pool;

  async function prepare() {
    const client = await connect();
    if (!names.has(client)) {
      const prepared = new Map<string, string>();
      names.set(client, prepared);
      const query = client.query.bind(client) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
      client.query = ((text: unknown, values?: unknown[]) => {
        if (typeof text !== 'string') return query(text as pg.QueryConfig);
        let name = prepared.get(text);
        // Only statements with parameters: pg sends those through the extended protocol anyway
        // (one statement per text); the rest (begin, commit, migrations' DDL) stay as they were.
        if (!name && values && values.length > 0 && prepared.size < PREPARED_PER_CONNECTION) {
          name = `encore_${prepared.size}`;
          prepared.set(text, name);
        }
        return query(name ? { name, text, values } : { text, values });
      }) as typeof client.query;
    }
    return client;
  }
}

function openPostgres(url: string, o: OpenOptions): Db {
  const pool = new pg.Pool({ connectionString: url, max: o.poolSize ?? 10, types: pgTypes as pg.CustomTypesConfig });
  // An idle connection that the server drops (restart, failover) must not crash the process.
  pool.on('error', () => {});
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: preparing(pool) }),
    log: o.onQuery && ((event) => o.onQuery!(event.query.sql, event.query.parameters)),
  });
}

function openSqlite(path: string, o: OpenOptions): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // A statement outside a transaction waits this long for another process's write lock. The
  // wait blocks the event loop, so it is short: write transactions (the long holders) wait for
  // the lock asynchronously instead (see beginImmediate).
  sqlite.pragma(`busy_timeout = ${STATEMENT_BUSY_MS}`);
  // Stats read large index ranges: a 64 MB page cache and memory-mapped reads keep them in memory.
  sqlite.pragma('cache_size = -65536');
  // Deleted and overwritten content is zeroed, not left in free space (retention erases buyer details).
  sqlite.pragma('secure_delete = on');
  sqlite.pragma('mmap_size = 268435456');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    log: o.onQuery && ((event) => o.onQuery!(event.query.sql, event.query.parameters)),
  });
  handles.set(db, sqlite);
  return db;
}

/**
 * SQLite: copies the WAL's pages into the database file and truncates the WAL, so old versions of
 * erased rows are gone from disk; best effort (a reader in another process can hold it off).
 * PostgreSQL: nothing (its dead row versions go with VACUUM).
 */
export async function checkpoint(db: Db): Promise<void> {
  const handle = handles.get(db);
  if (handle) handle.pragma('wal_checkpoint(TRUNCATE)');
}

/** The driver's own handle of each database, for what Kysely cannot say cheaply (pragmas). */
const handles = new WeakMap<Db, SQLite.Database>();

const driverStatements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();
/** A statement run on the driver's handle directly, prepared once per handle (db.pragma() prepares each time). */
function cachedStatement(handle: SQLite.Database, text: string): SQLite.Statement {
  let byText = driverStatements.get(handle);
  if (!byText) {
    byText = new Map();
    driverStatements.set(handle, byText);
  }
  let statement = byText.get(text);
  if (!statement) {
    statement = handle.prepare(text);
    byText.set(text, statement);
  }
  return statement;
}

/**
 * Kysely prepares every query anew; preparing costs as much as running a small query. The same
 * SQL text (Kysely puts values in parameters) gets the statement prepared the first time and
 * kept; past STATEMENT_CACHE_SIZE texts (only queries with varying `in (…)` lists make new ones)
 * the cache starts over. Nothing streams (`.stream()` is unused), so a cached statement is never
 * busy when it is handed out again.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        statement = sqlite.prepare(text);
        cache.set(text, statement);
      }
      return statement as unknown as SqliteStatement;
    },
    close: () => {
      cache.clear();
      sqlite.close();
    },
  };
}

export async function migrate(db: Db): Promise<void> {
  // Unordered: work that lands in parallel may register a lower number after a higher one has
  // run somewhere (0025 before 0022–0024 did); each migration stands alone, so run what is missing.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** Runs `fn` inside a write transaction and returns what it returns. */
export interface WriteTransaction {
  <T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` under the write lock, as a transaction would, then undoes everything it wrote and
   * returns what it returned: the real rules answer and nothing stays (the console's preview).
   */
  rehearse?: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>;
}

/** The write transactions of this engine: group commit under BEGIN IMMEDIATE on SQLite, one
 * READ COMMITTED transaction per call on PostgreSQL (see each). */
export function writeTransactions(db: Db): WriteTransaction {
  return engineOf(db) === 'postgres' ? postgresTransactions(db) : immediateTransactions(db);
}

/**
 * BEGIN IMMEDIATE takes SQLite's write lock before the first read, so a check of availability
 * and the write that depends on it cannot interleave with another writer — in this process
 * (Kysely hands the single connection to one transaction at a time) or in another process
 * sharing the file (see beginImmediate).
 *
 * Group commit: a commit costs more than a cart request's every other statement together (it
 * writes the pages to the WAL), so the transactions asked for while one runs — requests that
 * arrived together — run one after another inside one BEGIN IMMEDIATE … COMMIT, each in its own
 * savepoint. They run in order, each seeing the ones before, exactly as separate transactions
 * would; one that throws is rolled back to its savepoint alone; none is answered before the
 * commit that makes it durable, and if that commit fails, all of them fail.
 */
export function immediateTransactions(db: Db, o: { maxBatch?: number } = {}): WriteTransaction {
  const maxBatch = o.maxBatch ?? 64;
  interface Job {
    fn: (trx: Trx) => Promise<unknown>;
    undo?: boolean;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
    result?: unknown;
  }
  const queue: Job[] = [];
  let draining = false;

  /** Set while another process holds the lock: when this wait for it ends. */
  let waitingUntil: number | null = null;

  /** False when the lock was busy and the wait is not over: the caller lets go of the connection, pauses and tries again. */
  const batch = (conn: Db) => async (): Promise<boolean> => {
    try {
      await beginImmediate(conn, handles.get(db), Math.min(Date.now() + SPIN_MS, waitingUntil ?? Number.POSITIVE_INFINITY));
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        waitingUntil ??= Date.now() + WRITE_LOCK_WAIT_MS;
        if (Date.now() < waitingUntil) return false;
      }
      waitingUntil = null;
      for (const job of queue.splice(0, maxBatch)) job.reject(error);
      return true;
    }
    waitingUntil = null;
    const done: Job[] = [];
    // The error that broke the transaction, when undoing it fails too (SQLite undoes the whole
    // transaction itself on a full disk, so `rollback to` finds no savepoint): the jobs that had
    // succeeded are rejected with the cause, not with the rollback's complaint.
    let cause: unknown;
    let undoing = false;
    try {
      while (queue.length > 0 && done.length < maxBatch) {
        const job = queue.shift()!;
        await sql`savepoint encore_job`.execute(conn);
        let failed = false;
        try {
          job.result = await job.fn(conn as Trx);
        } catch (error) {
          failed = true;
          cause = error;
          job.reject(error);
        }
        if (failed || job.undo) {
          undoing = failed;
          await sql`rollback to encore_job`.execute(conn);
          await sql`release encore_job`.execute(conn);
          undoing = false;
          // A rehearsal left nothing behind, so it need not wait for the commit.
          if (!failed) job.resolve(job.result);
          continue;
        }
        await sql`release encore_job`.execute(conn);
        done.push(job);
      }
      await sql`commit`.execute(conn);
    } catch (error) {
      // A failed commit, or an error that already undid the whole transaction.
      await sql`rollback`.execute(conn).catch(() => {});
      for (const job of done) job.reject(undoing ? cause : error);
      return true;
    }
    for (const job of done) job.resolve(job.result);
    return true;
  };

  async function drain() {
    draining = true;
    try {
      // One turn of the event loop before each batch: requests already read join it, and
      // another process waiting for the lock gets a chance at it between two of ours.
      while (queue.length > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        const ran = await db.connection().execute((conn) => batch(conn)());
        // Locked by another process for longer than a spin: the connection is free for this
        // process's reads while the batch waits (Kysely lends its one connection to one user).
        if (!ran) await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
      }
    } finally {
      draining = false;
    }
  }

  const enqueue =
    (undo: boolean) =>
    <T>(fn: (trx: Trx) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ fn, undo, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
  return Object.assign(enqueue(false), { rehearse: enqueue(true) });
}

/** How long a write transaction waits for another process's lock before giving up (503, Retry-After). */
export const WRITE_LOCK_WAIT_MS = 5_000;
/** How long one try spins for the lock holding the connection (another process's write takes about a millisecond). */
const SPIN_MS = 20;

/** Nothing ever notifies it: Atomics.wait on it is a sub-millisecond sleep that leaves the core free. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Another process holding the write lock makes BEGIN IMMEDIATE fail with SQLITE_BUSY at once
 * (busy_timeout is off for this one statement). Retrying after a short, jittered pause until
 * `deadline` (a short spin: the caller then lets go of the connection and comes back) lets this
 * process serve other requests meanwhile, where SQLite's own busy handler would sleep the whole
 * event loop in 1–100 ms steps.
 */
async function beginImmediate(conn: Db, handle: SQLite.Database | undefined, deadline: number): Promise<void> {
  const busyTimeout = async (ms: number) => {
    if (handle) cachedStatement(handle, `pragma busy_timeout = ${ms}`).get();
    else await sql.raw(`pragma busy_timeout = ${ms}`).execute(conn);
  };
  // While another process holds the lock, each try fails; a failure's error is built without a
  // stack (a stack trace per try was a tenth of a waiting process's time).
  const begin = handle && cachedStatement(handle, 'begin immediate');
  const tryBegin = async () => {
    if (!begin) return void (await sql`begin immediate`.execute(conn));
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      begin.run();
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  await busyTimeout(0);
  try {
    for (;;) {
      try {
        await tryBegin();
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
        // Let this process's ready work run, then sleep 50–150 µs and try again: the other
        // process holds the lock for about a millisecond, a timer (≥ 1 ms) would leave the lock
        // idle, and retrying at once (setImmediate alone) burned the core the holder needed —
        // two processes made carts at 0.84–0.98× of one that way, 1.02–1.12× with the pause.
        await new Promise((resolve) => setImmediate(resolve));
        Atomics.wait(pause, 0, 0, 0.05 + Math.random() * 0.1);
      }
    }
  } finally {
    await busyTimeout(STATEMENT_BUSY_MS);
  }
}

/**
 * PostgreSQL: each call is its own transaction at READ COMMITTED, PostgreSQL's default. Nothing
 * here serialises writers; what two transactions must not both decide is guarded where it is
 * decided, in plain sight: the seats by lockSeats (inventory.ts), a cart by lockCart, job claims
 * by FOR UPDATE SKIP LOCKED (jobs.ts), state moves by conditional updates. A deadlock or
 * serialization failure (the server chose this transaction to undo) is retried from the start, a
 * few times, after a short random pause.
 */
function postgresTransactions(db: Db): WriteTransaction {
  const run =
    (undo: boolean) =>
    async <T>(fn: (trx: Trx) => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute(async (trx) => {
            const result = await fn(trx as unknown as Trx);
            if (undo) throw new Rehearsed(result);
            return result;
          });
        } catch (error) {
          if (error instanceof Rehearsed) return error.result as T;
          const code = (error as { code?: string }).code;
          if ((code !== '40001' && code !== '40P01') || attempt >= 5) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        }
      }
    };
  return Object.assign(run(false), { rehearse: run(true) });
}

/** Carries a rehearsal's result out of the transaction it rolls back. */
class Rehearsed {
  constructor(readonly result: unknown) {}
}

/**
 * No guard at all: each statement commits on its own. Only for the concurrency test's control,
 * which shows that without the guard the same workload oversells.
 */
export function unguardedWrites(db: Db): WriteTransaction {
  return (fn) => fn(db as Trx);
}
