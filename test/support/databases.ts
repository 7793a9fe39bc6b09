// The database each test gets: a fresh SQLite file in a temp folder, or — when the suite runs on
// PostgreSQL (ENCORE_TEST_POSTGRES holds the server's admin URL) — a fresh database copied from
// a template that the global setup migrated once. Either is removed after the test file
// (cleanup.ts, a setup file), so a run leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase, type Db } from '../../server/platform/db/database.ts';
import type { Database } from '../../server/platform/db/schema.ts';

/** The PostgreSQL server's admin URL (database `postgres`), when the suite runs on PostgreSQL. */
export const postgresAdminUrl = process.env.ENCORE_TEST_POSTGRES || null;
export const testEngine = postgresAdminUrl ? 'postgres' : 'sqlite';
export const TEMPLATE = 'encore_template';

/** A URL of the same server naming another database. */
export function databaseUrl(name: string): string {
  const url = new URL(postgresAdminUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl! });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const made: { dbs: Db[]; dirs: string[]; databases: string[] } = { dbs: [], dirs: [], databases: [] };

/** The migrated, empty database every test database is copied from (made anew by the global setup). */
export async function makeTemplate(): Promise<void> {
  await admin(async (c) => {
    await c.query(`drop database if exists ${TEMPLATE} with (force)`);
    // Code-point order and Unicode case rules whatever the server's default locale.
    await c.query(`create database ${TEMPLATE} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  });
  const db = openDatabase(databaseUrl(TEMPLATE));
  await migrate(db);
  await db.destroy();
}

/** A temp folder removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.dirs.push(dir);
  return dir;
}

let counter = 0;

/**
 * A new, migrated, empty database. `path` is what openDatabase and DATABASE_PATH take: the
 * SQLite file, or the PostgreSQL URL.
 */
export async function freshDatabase(): Promise<{ db: Db; path: string }> {
  if (postgresAdminUrl) {
    const name = `encore_t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    await admin(async (c) => {
      const template = await c.query(`select 1 from pg_database where datname = $1`, [TEMPLATE]);
      // Outside vitest (the benches), no global setup made it.
      if (template.rowCount === 0) await makeTemplate();
      await c.query(`create database ${name} template ${TEMPLATE}`);
    });
    made.databases.push(name);
    const path = databaseUrl(name);
    const db = track(openDatabase(path));
    return { db, path };
  }
  const path = join(tempDir('encore-test-'), 'encore.sqlite');
  const db = track(openDatabase(path));
  await migrate(db);
  return { db, path };
}

/**
 * A copy of the database as it is now, for a control that replays from a moment of a run. SQLite:
 * the whole file (VACUUM INTO). PostgreSQL: a fresh database with the rows of `tables`, copied in
 * the order given (parents before children) — a template copy would need every other process
 * off the database.
 */
export async function copyOf(from: { db: Db }, tables: (keyof Database)[]): Promise<{ db: Db; path: string }> {
  if (!postgresAdminUrl) {
    const path = join(tempDir('encore-copy-'), 'copy.sqlite');
    await sql`vacuum into ${path}`.execute(from.db);
    return { db: track(openDatabase(path)), path };
  }
  const copy = await freshDatabase();
  for (const table of tables) {
    const rows = await from.db.selectFrom(table).selectAll().execute();
    for (let i = 0; i < rows.length; i += 500)
      await copy.db
        .insertInto(table)
        .values(rows.slice(i, i + 500) as never)
        .execute();
  }
  return copy;
}

/** Closes this handle after the test file (before its database is dropped). */
export function track(db: Db): Db {
  made.dbs.push(db);
  return db;
}

/** Closes the handles, drops the databases and removes the folders this test file made. */
export async function cleanUp(): Promise<void> {
  const { dbs, dirs, databases } = made;
  made.dbs = [];
  made.dirs = [];
  made.databases = [];
  await Promise.all(dbs.map((db) => db.destroy().catch(() => {})));
  if (databases.length > 0) {
    await admin(async (c) => {
      for (const name of databases) await c.query(`drop database if exists ${name} with (force)`);
    });
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
