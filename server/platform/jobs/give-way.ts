// better-sqlite3 answers synchronously and Kysely's awaits resolve as microtasks, so a loop of
// queries never lets the event loop handle a request until it ends. Housekeeping loops call
// `store.giveWay()` between units of work (one cart, one batch), so a round in the API process
// delays a request by one unit, not by the whole round.
import type { MiddlewareHandler } from 'hono';

/** Lets I/O that is ready (requests) run before the next unit. */
export const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Counts the requests in flight in this process (its middleware goes on the app). Housekeeping
 * in the same process then waits while any are in flight, up to `maxWaitMs` per unit: a busy API
 * goes first, and the loop still does at least one unit per `maxWaitMs`, so it never starves.
 */
export function createRequestGate(maxWaitMs = 50) {
  let inFlight = 0;
  const middleware: MiddlewareHandler = async (_c, next) => {
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
  return {
    middleware,
    async giveWay() {
      await giveWay();
      const until = performance.now() + maxWaitMs;
      while (inFlight > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 2));
    },
  };
}

export type RequestGate = ReturnType<typeof createRequestGate>;
