// Cart endpoints answer browsers only from the organizer's own sites. The preflight cannot know
// which organizer a request is for, so it admits any origin some organizer allows; each handler
// then checks the organizer that owns the event or cart (see originCheck). The event bootstrap is
// public: any site may read it (sales/events-routes.ts), and it says whether that site may sell.
import type { Context, MiddlewareHandler } from 'hono';
import type { EventRow } from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import type { RefusedOrigins } from './refused-origins.ts';

/** Whether a page on `origin` may start carts for an organizer; no Origin header: not a browser on another site. */
export const originAllowed = (origin: string | undefined, organizerOrigins: string[], extraOrigins: string[]) =>
  origin === undefined || extraOrigins.includes(origin) || organizerOrigins.includes(origin);

/** Where refusals are noted for the organizer's console (set on the context by cartCors). */
export interface Refusals {
  log: RefusedOrigins;
  now: () => Date;
}
const REFUSALS = 'encoreRefusals';

/**
 * Every origin some organizer allows, read at most once per `ttlMs` (and again after a console
 * change in this process): the preflight and each cart request consult it. Another instance's
 * console change reaches this one within `ttlMs`; the per-organizer check in originCheck reads
 * the event's own row and is never stale.
 */
export function allowedOriginsCache(db: Db, extraOrigins: string[], ttlMs = 5_000) {
  let cached: { origins: Set<string>; at: number } | null = null;
  return {
    async has(origin: string) {
      if (extraOrigins.includes(origin)) return true;
      if (!cached || performance.now() - cached.at >= ttlMs) {
        const rows = await db.selectFrom('organizers').select('allowed_origins').execute();
        cached = { origins: new Set(rows.flatMap((r) => JSON.parse(r.allowed_origins) as string[])), at: performance.now() };
      }
      return cached.origins.has(origin);
    },
    clear() {
      cached = null;
    },
  };
}

/**
 * CORS for the cart endpoints. Every header is set before the handler runs: a header added to a
 * finished response makes @hono/node-server build a full web Response (hono/cors adds `Vary`
 * afterwards, which cost a cart request a tenth of its time).
 */
export function cartCors(origins: { has(origin: string): Promise<boolean> }, refusals?: Refusals): MiddlewareHandler {
  return async (c, next) => {
    if (refusals) c.set(REFUSALS, refusals);
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && (await origins.has(origin));
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') {
      if (allowed) {
        c.header('Access-Control-Allow-Origin', origin);
        c.header('Access-Control-Allow-Methods', 'GET,POST,PATCH,OPTIONS');
        c.header('Access-Control-Allow-Headers', 'Content-Type,Authorization,Idempotency-Key');
        c.header('Access-Control-Max-Age', '600');
      }
      return c.body(null, 204);
    }
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin);
      // The widget's hold countdown corrects the visitor's clock with the server's.
      c.header('Access-Control-Expose-Headers', 'Date');
    }
    return next();
  };
}

/**
 * originCheck, plus: whatever event the request turned out to touch, its cached bootstrap is
 * dropped when the handler is done (its availability may have changed), even if it failed.
 */
export async function touchingEvent<T>(
  c: Context,
  extraOrigins: string[],
  cache: { invalidate(slug: string): void },
  handle: (origin: (event: EventRow) => void) => Promise<T>,
): Promise<T> {
  const check = originCheck(c, extraOrigins);
  let slug: string | null = null;
  try {
    return await handle((event) => {
      check(event);
      slug = event.slug;
    });
  } finally {
    if (slug !== null) cache.invalidate(slug);
  }
}

/** Returns the check a handler runs once it knows the event: a browser on another site is refused. */
export function originCheck(c: Context, extraOrigins: string[]) {
  const origin = c.req.header('origin');
  return (event: EventRow) => {
    if (originAllowed(origin, JSON.parse(event.organizer_origins) as string[], extraOrigins)) return;
    const refusals = c.get(REFUSALS) as Refusals | undefined;
    refusals?.log.record(event.organizer_id, origin!, refusals.now());
    throw new DomainError('ORIGIN_NOT_ALLOWED', `${origin} is not among this organizer's allowed sites`);
  };
}
