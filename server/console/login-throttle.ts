// Slows password guessing without handing a stranger the owner's lock. Failed sign-ins in the
// last 15 minutes are counted three ways, each with its own limit:
//   one email from one address   10  (an attacker guessing from their machine stops here, and
//                                      the owner, on another address, can still sign in)
//   one address, any emails      30  (one machine trying many accounts)
//   one email, any addresses    100  (a backstop against guesses spread over many machines)
// An attempt waits until every count it belongs to is under its limit. A success forgets only
// its own email and address's failures. Counted in the database (platform/http/rate-events-db.ts):
// every API instance sees the same failures, and nothing is evicted to make room for others.
import { addUse, forgetUses, lockRecentUses, recentUses } from '../platform/http/rate-events-db.ts';
import type { Store } from '../store.ts';

const WINDOW_MS = 15 * 60_000;

export const SIGN_IN_LIMITS = { pair: 10, address: 30, email: 100 } as const;

const SCOPES = { pair: 'sign-in failures', address: 'sign-in failures by address', email: 'sign-in failures by email' } as const;

export interface LoginThrottle {
  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  waitMs(email: string, address: string, now: Date): Promise<number>;
  failed(email: string, address: string, now: Date): Promise<void>;
  succeeded(email: string, address: string): Promise<void>;
}

const since = (now: Date) => new Date(now.getTime() - WINDOW_MS).toISOString();
const keys = (email: string, address: string) => ({ pair: `${email}\n${address}`, address, email });

export function loginThrottle(store: Pick<Store, 'db' | 'tx'>): LoginThrottle {
  return {
    async waitMs(email, address, now) {
      const k = keys(email, address);
      const waits = await Promise.all(
        (['pair', 'address', 'email'] as const).map(async (kind) => {
          const list = await recentUses(store.db, SCOPES[kind], k[kind], since(now));
          const max = SIGN_IN_LIMITS[kind];
          return list.length < max ? 0 : Date.parse(list[list.length - max]!) + WINDOW_MS - now.getTime();
        }),
      );
      return Math.max(...waits);
    },
    async failed(email, address, now) {
      const k = keys(email, address);
      await store.tx(async (trx) => {
        for (const kind of ['pair', 'address', 'email'] as const) {
          await lockRecentUses(trx, SCOPES[kind], k[kind], since(now));
          await addUse(trx, SCOPES[kind], k[kind], now.toISOString());
        }
      });
    },
    async succeeded(email, address) {
      await forgetUses(store.db, SCOPES.pair, keys(email, address).pair);
    },
  };
}
