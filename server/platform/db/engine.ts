// Which engine a handle talks to, and the few SQL spellings that differ between SQLite and
// PostgreSQL. Everything else is written once, in the SQL both understand.
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

/** The engine of a database handle or of a transaction on it. */
// biome-ignore lint/suspicious/noExplicitAny: any schema (migrations see Kysely<unknown>).
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

// biome-ignore lint/suspicious/noExplicitAny: any schema.
export const isPostgres = (db: Kysely<any>) => engineOf(db) === 'postgres';

/** SQLite's `without rowid` (a table stored in its primary key's order); PostgreSQL has no such option. */
// biome-ignore lint/suspicious/noExplicitAny: any schema.
export const withoutRowId = (db: Kysely<any>): RawBuilder<unknown> => (isPostgres(db) ? sql`` : sql`without rowid`);

/** A JSON object's text built in SQL from name/value pairs: `json_object` in SQLite, `json_build_object` in PostgreSQL. */
// biome-ignore lint/suspicious/noExplicitAny: any schema.
export function jsonObject(db: Kysely<any>, pairs: [string, RawBuilder<unknown>][]): RawBuilder<string> {
  const args = sql.join(pairs.flatMap(([name, value]) => [sql.lit(name), value]));
  return isPostgres(db) ? sql<string>`json_build_object(${args})::text` : sql<string>`json_object(${args})`;
}

/** A database target fit for a log line: a PostgreSQL URL without its password. */
export function databaseLabel(target: string): string {
  if (!/^postgres(ql)?:\/\//.test(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

/** A JSON array's text built in SQL: `json_array` in SQLite, `json_build_array` in PostgreSQL. */
// biome-ignore lint/suspicious/noExplicitAny: any schema.
export function jsonArray(db: Kysely<any>, values: RawBuilder<unknown>[]): RawBuilder<string> {
  const args = sql.join(values);
  return isPostgres(db) ? sql<string>`json_build_array(${args})::text` : sql<string>`json_array(${args})`;
}

/** The elements of a JSON array given as a parameter, one row each, in a column named `value`. */
// biome-ignore lint/suspicious/noExplicitAny: any schema.
export function jsonElements(db: Kysely<any>, json: string): RawBuilder<unknown> {
  return isPostgres(db) ? sql`json_array_elements(${json}::json) as elements(value)` : sql`json_each(${json})`;
}
