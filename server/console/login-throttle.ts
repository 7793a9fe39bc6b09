// Slows password guessing: after 10 failed sign-ins for one email within 15 minutes, further
// attempts for that email are refused until the oldest failure leaves the window. Counted in the
// database (platform/http/rate-events-db.ts): every API instance sees the same failures, and a restart forgets
// nothing.
import { addUse, forgetUses, lockRecentUses, recentUses } from '../platform/http/rate-events-db.ts';
import type { Store } from '../store.ts';

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;
const SCOPE = 'sign-in failures';

export interface LoginThrottle {
  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  waitMs(email: string, now: Date): Promise<number>;
  failed(email: string, now: Date): Promise<void>;
  succeeded(email: string): Promise<void>;
}

const since = (now: Date) => new Date(now.getTime() - WINDOW_MS).toISOString();

export function loginThrottle(store: Pick<Store, 'db' | 'tx'>): LoginThrottle {
  return {
    async waitMs(email, now) {
      const list = await recentUses(store.db, SCOPE, email, since(now));
      return list.length < MAX_FAILURES ? 0 : Date.parse(list[list.length - MAX_FAILURES]!) + WINDOW_MS - now.getTime();
    },
    async failed(email, now) {
      await store.tx(async (trx) => {
        await lockRecentUses(trx, SCOPE, email, since(now));
        await addUse(trx, SCOPE, email, now.toISOString());
      });
    },
    async succeeded(email) {
      await forgetUses(store.db, SCOPE, email);
    },
  };
}
