// Widget views, counted in memory and written in one statement per event and day every few
// seconds, instead of one write per bootstrap. What a crash can lose is at most one interval's
// counts of this process; the stats flush this process's counts before they read.
import { addWidgetViews } from './stats-db.ts';
import type { Db } from '../platform/db/database.ts';

export interface ViewCounter {
  count(eventId: string, day: string): void;
  /** Writes what is pending; on failure keeps it for the next flush. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

export function createViewCounter(db: Db, o: { intervalMs?: number; log?: (line: string) => void; failed?: (error: unknown) => void } = {}): ViewCounter {
  let pending = new Map<string, number>();
  let flushing: Promise<void> | null = null;

  async function write() {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const rows = [...batch].map(([key, views]) => {
      const [eventId, day] = key.split(' ') as [string, string];
      return { event_id: eventId, day, views };
    });
    try {
      await addWidgetViews(db, rows);
    } catch (error) {
      // A busy or full database must not cost the counts or the request that counted them.
      for (const [key, n] of batch) pending.set(key, (pending.get(key) ?? 0) + n);
      o.log?.(`widget views not written yet: ${(error as Error)?.message ?? error}`);
      o.failed?.(error);
    }
  }

  const flush = async () => {
    while (flushing) await flushing;
    flushing = write().finally(() => (flushing = null));
    await flushing;
  };

  const timer = setInterval(() => void flush(), o.intervalMs ?? 2_000);
  timer.unref();

  return {
    count(eventId, day) {
      const key = `${eventId} ${day}`;
      pending.set(key, (pending.get(key) ?? 0) + 1);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
