// A per-key sliding-window limit for console actions that cost something (rendering mail,
// sending it, a scan): enough to stop a stuck button or a loop in someone's script, not a quota.
// Counted in the database (platform/http/rate-events-db.ts), so every API instance shares one count.
import { addUse, lockRecentUses } from './rate-events-db.ts';
import { DomainError } from '../errors.ts';
import type { DataStore } from '../data-store.ts';

export interface RateLimit {
  /** Counts one use by `key`; throws 429 TOO_MANY_ATTEMPTS when the window is full. */
  take(key: string, now: Date): Promise<void>;
}

export function rateLimit(store: Pick<DataStore, 'tx'>, o: { max: number; windowMs: number; what: string }): RateLimit {
  return {
    take: (key, now) =>
      store.tx(async (trx) => {
        const t = now.getTime();
        const recent = await lockRecentUses(trx, o.what, key, new Date(t - o.windowMs).toISOString());
        if (recent.length >= o.max) {
          const minutes = Math.ceil((Date.parse(recent[recent.length - o.max]!) + o.windowMs - t) / 60_000);
          throw new DomainError('TOO_MANY_ATTEMPTS', `At most ${o.max} ${o.what} per ${Math.round(o.windowMs / 60_000)} min; try again in ${minutes} min`);
        }
        await addUse(trx, o.what, key, now.toISOString());
      }),
  };
}
