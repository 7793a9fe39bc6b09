// Sites that asked to sell an organizer's tickets without being among their allowed origins:
// a widget loaded there (its bootstrap said no) or a cart refused. Counted in memory and written
// every few seconds, one upsert per site, so a busy misconfigured page costs no write per request;
// the database keeps only each organizer's most recent few (sales/refused-origins-db.ts).
import { findOrganizerSettings } from '../console/catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { addRefusedOrigins, listRefusedOrigins } from './refused-origins-db.ts';

/** What an Origin header may be to be worth showing: an origin, or "null" (file:, sandboxed frames). */
const ORIGIN = /^(null|[a-z][a-z0-9+.-]*:\/\/[^\s/]{1,200})$/i;
/** Distinct sites held between writes; beyond it (a flood of made-up origins) new ones wait for the next interval. */
const MAX_PENDING = 1_000;

export interface RefusedOrigins {
  record(organizerId: string, origin: string, at: Date): void;
  /** The organizer's recent refused sites not allowed since, pending ones included, most recent first. */
  list(organizerId: string): Promise<{ origin: string; count: number; lastSeenAt: string }[]>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createRefusedOrigins(db: Db, o: { intervalMs?: number; log?: (line: string) => void } = {}): RefusedOrigins {
  let pending = new Map<string, { organizer_id: string; origin: string; count: number; last_seen_at: string }>();
  let flushing: Promise<void> | null = null;

  async function write() {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    try {
      await addRefusedOrigins(db, [...batch.values()]);
    } catch (error) {
      // Kept for the next write (a busy database must not fail the request that was refused).
      for (const [key, row] of batch) {
        const later = pending.get(key);
        pending.set(key, later ? { ...later, count: later.count + row.count } : row);
      }
      o.log?.(`refused origins not written yet: ${(error as Error)?.message ?? error}`);
    }
  }

  const flush = async () => {
    while (flushing) await flushing;
    flushing = write().finally(() => (flushing = null));
    await flushing;
  };

  const timer = setInterval(() => void flush(), o.intervalMs ?? 5_000);
  timer.unref();

  return {
    record(organizerId, origin, at) {
      if (!ORIGIN.test(origin)) return;
      const key = `${organizerId} ${origin}`;
      const row = pending.get(key);
      if (row) {
        row.count++;
        row.last_seen_at = at.toISOString();
      } else if (pending.size < MAX_PENDING) {
        pending.set(key, { organizer_id: organizerId, origin, count: 1, last_seen_at: at.toISOString() });
      }
    },
    async list(organizerId) {
      await flush();
      const [rows, organizer] = await Promise.all([listRefusedOrigins(db, organizerId), findOrganizerSettings(db, organizerId)]);
      const allowed = new Set(JSON.parse(organizer.allowed_origins) as string[]);
      return rows.filter((r) => !allowed.has(r.origin)).map((r) => ({ origin: r.origin, count: r.count, lastSeenAt: r.last_seen_at }));
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
