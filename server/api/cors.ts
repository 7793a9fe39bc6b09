// Cart endpoints answer browsers only from the organizer's own sites. The preflight cannot know
// which organizer a request is for, so it admits any origin some organizer allows; each handler
// then checks the organizer that owns the event or cart (see originCheck).
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import type { EventRow } from '../db/catalogue.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../domain/errors.ts';

export function cartCors(db: Db, extraOrigins: string[]) {
  return cors({
    origin: async (origin) => {
      if (extraOrigins.includes(origin)) return origin;
      const rows = await db.selectFrom('organizers').select('allowed_origins').execute();
      return rows.some((r) => (JSON.parse(r.allowed_origins) as string[]).includes(origin)) ? origin : null;
    },
    allowMethods: ['GET', 'POST', 'PATCH', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key'],
    // The widget's hold countdown corrects the visitor's clock with the server's.
    exposeHeaders: ['Date'],
    maxAge: 600,
  });
}

/** Returns the check a handler runs once it knows the event: a browser on another site is refused. */
export function originCheck(c: Context, extraOrigins: string[]) {
  const origin = c.req.header('origin');
  return (event: EventRow) => {
    if (!origin || extraOrigins.includes(origin)) return;
    if (!(JSON.parse(event.organizer_origins) as string[]).includes(origin)) {
      throw new DomainError('ORIGIN_NOT_ALLOWED', `${origin} is not among this organizer's allowed sites`);
    }
  };
}
