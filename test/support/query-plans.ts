// Records the statements a piece of work runs and asks the engine how it would run each: the
// hot-path test fails on a full scan of a table that grows with history, and bench/hot-paths.ts
// prints the plans on the million-cart database.
//
// SQLite: EXPLAIN QUERY PLAN on the file. PostgreSQL: EXPLAIN with sequential scans priced out
// (enable_seqscan off), so on a test's tiny tables the planner still takes an index wherever one
// can serve; a Seq Scan that remains means none can.
import SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { isPostgresUrl, openDatabase, type Db } from '../../server/platform/db/database.ts';

/** Tables that grow with every visitor: reading one of them whole is a bug on a hot path. */
export const HISTORY_TABLES = [
  'carts',
  'cart_items',
  'orders',
  'tickets',
  'outbox',
  'reminder_series',
  'reminder_clicks',
  'discounts',
  'idempotency_keys',
  'webhook_deliveries',
  'widget_views',
  'jobs',
];

const FINAL_STATUSES = ['sent', 'delivered', 'done', 'failed', 'cancelled', 'completed', 'finished', 'stopped'];

export interface Recorded {
  db: Db;
  statements: Map<string, readonly unknown[]>;
}

export function recordingDatabase(path: string): Recorded {
  const statements = new Map<string, readonly unknown[]>();
  const db = openDatabase(path, {
    onQuery: (sql, parameters) => {
      if (!/^\s*(begin|commit|rollback|pragma|savepoint|release|start transaction|select pg_advisory)/i.test(sql) && !statements.has(sql))
        statements.set(sql, parameters);
    },
  });
  return { db, statements };
}

export interface Plan {
  sql: string;
  detail: string[];
  /**
   * Reads of history tables that walk history: full scans (SCAN t, SCAN t USING … INDEX), and
   * index searches narrowed by a status alone when the statement asks for a final status (every
   * sent reminder is one status; the few rows 'pending' or 'sending' right now are not history).
   */
  scans: string[];
}

export async function queryPlans(path: string, statements: Map<string, readonly unknown[]>): Promise<Plan[]> {
  if (isPostgresUrl(path)) return postgresPlans(path, statements);
  const sqlite = new SQLite(path, { readonly: true });
  try {
    return [...statements].map(([sql, parameters]) => {
      const detail = sqlite
        .prepare(`explain query plan ${sql}`)
        .all(...(parameters as unknown[]))
        .map((row) => (row as { detail: string }).detail);
      const final = parameters.some((p) => typeof p === 'string' && FINAL_STATUSES.includes(p));
      const scans = detail.filter((d) => {
        const m = /^(SCAN (\w+)|SEARCH (\w+) .*\(status=\?\)$)/.exec(d);
        return m !== null && HISTORY_TABLES.includes((m[2] ?? m[3])!) && (m[2] !== undefined || final);
      });
      return { sql, detail, scans };
    });
  } finally {
    sqlite.close();
  }
}

interface PgPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PgPlanNode[];
}

async function postgresPlans(url: string, statements: Map<string, readonly unknown[]>): Promise<Plan[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set enable_seqscan = off');
    // A walk of a whole partial index reads only the rows it is for (the due, the pending), not history.
    const partial = new Set(
      (await client.query<{ indexname: string }>(`select indexname from pg_indexes where schemaname = 'public' and indexdef like '% WHERE %'`)).rows.map(
        (r) => r.indexname,
      ),
    );
    const plans: Plan[] = [];
    for (const [sql, parameters] of statements) {
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PgPlanNode }] }>(`explain (format json) ${sql}`, parameters as unknown[]);
      const detail: string[] = [];
      const scans: string[] = [];
      const walk = (node: PgPlanNode) => {
        const table = node['Relation Name'];
        const line = [node['Node Type'], table, node['Index Name'] && `using ${node['Index Name']}`, node['Index Cond'], node.Filter && `filter ${node.Filter}`]
          .filter(Boolean)
          .join(' ');
        detail.push(line);
        const whole =
          node['Node Type'] === 'Seq Scan' || (/Index( Only)? Scan/.test(node['Node Type']) && !node['Index Cond'] && !partial.has(node['Index Name'] ?? ''));
        if (table && HISTORY_TABLES.includes(table) && whole) scans.push(line);
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(rows[0]!['QUERY PLAN'][0].Plan);
      plans.push({ sql, detail, scans });
    }
    return plans;
  } finally {
    await client.end();
  }
}

const onPostgres = () => Boolean(process.env.ENCORE_TEST_POSTGRES);

/**
 * A plan step reading `table` through `index`, as this run's engine writes it: SQLite's
 * "SEARCH|SCAN table USING [COVERING] INDEX index (…)", PostgreSQL's "… Scan table using index …"
 * (a Bitmap Index Scan names only the index).
 */
export function readsIndex(table: string, index: string): RegExp {
  return onPostgres()
    ? new RegExp(`(Scan ${table} using ${index}\\b|Bitmap Index Scan using ${index}\\b)`)
    : new RegExp(`(SEARCH|SCAN) ${table} USING (COVERING )?INDEX ${index}\\b`);
}

/** A plan step reading all of `table` (SQLite: SCAN without an index; PostgreSQL: Seq Scan). */
export function readsWhole(tables: string): RegExp {
  return onPostgres() ? new RegExp(`^Seq Scan (${tables})\\b`, 'm') : new RegExp(`^SCAN (${tables})\\b(?! USING)`, 'm');
}

/** The plan of one compiled statement on this database (`path`: the file or URL), one line per step (see queryPlans). */
export async function explain(on: { db: Db; path: string }, compiled: { sql: string; parameters: readonly unknown[] }): Promise<string[]> {
  if (isPostgresUrl(on.path)) {
    const [plan] = await postgresPlans(on.path, new Map([[compiled.sql, compiled.parameters]]));
    return plan!.detail;
  }
  const rows = await on.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
  return rows.rows.map((r) => r.detail);
}
