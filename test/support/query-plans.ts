// Records the statements a piece of work runs and asks SQLite how it would run each: the hot-path
// test fails on a full scan of a table that grows with history, and bench/hot-paths.ts prints
// the plans on the million-cart database.
import SQLite from 'better-sqlite3';
import { openDatabase, type Db } from '../../server/db/database.ts';

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
      if (!/^\s*(begin|commit|rollback|pragma)/i.test(sql) && !statements.has(sql)) statements.set(sql, parameters);
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

export function queryPlans(path: string, statements: Map<string, readonly unknown[]>): Plan[] {
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
