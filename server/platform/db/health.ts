// When the database cannot take a write (another process holds SQLite's lock past the wait, the
// disk is full, PostgreSQL is out of connections or going down), requests that must write are
// answered 503 with Retry-After, reads go on, and /health says writes are failing and why until
// one succeeds again.
import type { Trx, WriteTransaction } from './database.ts';

/** SQLite result codes and PostgreSQL SQLSTATEs (and connection errors) that mean "not now", not "wrong". */
const SQLITE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)/;
const POSTGRES = /^(53|57P0[1-4]|08|55P03|40001|40P01)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOSPC']);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (SQLITE.test(code) || POSTGRES.test(code) || NETWORK.has(code));
}

/** Seconds a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

export interface WriteHealth {
  /** `tx` that reports each outcome here. */
  watch(tx: WriteTransaction): WriteTransaction;
  /** A write outside a transaction (the view counter's) failed. */
  failed(error: unknown): void;
  /** Null while writes work; else since when they fail and the last cause. */
  report(): { failingSince: string; lastError: string } | null;
}

export function createWriteHealth(now: () => Date): WriteHealth {
  let failing: { failingSince: string; lastError: string } | null = null;
  const failed = (error: unknown) => {
    if (!isUnavailable(error)) return;
    const e = error as { code?: string; message?: string };
    failing = { failingSince: failing?.failingSince ?? now().toISOString(), lastError: `${e.code}: ${e.message ?? ''}`.trim() };
  };
  const wrap =
    (inner: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>) =>
    async <T>(fn: (trx: Trx) => Promise<T>): Promise<T> => {
      try {
        const result = await inner(fn);
        failing = null;
        return result;
      } catch (error) {
        failed(error);
        throw error;
      }
    };
  return {
    watch: (tx) => Object.assign(wrap(tx), tx.rehearse ? { rehearse: wrap(tx.rehearse) } : {}),
    failed,
    report: () => failing,
  };
}
