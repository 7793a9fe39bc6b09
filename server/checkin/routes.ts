// /api/console/v1 check-in at the door: answer a scan, undo one, a performance's preload list for
// offline use, its counts and its check-ins as CSV; an event's counts per performance. Owners
// and the box office (console/routes/roles.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import { instanceSecret } from '../platform/db/secrets.ts';
import { DomainError } from '../platform/errors.ts';
import { rateLimit } from '../platform/http/rate-limit.ts';
import type { Store } from '../store.ts';
import type { ConsoleEnv } from '../console/env.ts';
import { readJson } from '../platform/http/errors.ts';
import { checkIn, undoCheckIn } from './check-in.ts';
import { checkInList, countsOf } from './check-in-list.ts';
import { checkInsCsv } from './check-ins-csv.ts';
import { eventCheckInCounts, findPerformance } from './checkin-db.ts';

const checkInBody = z.object({
  payload: z.string().max(200),
  performanceId: z.string().min(1).max(64),
  deviceId: z.string().min(1).max(64).optional(),
  scannedAt: z
    .string()
    .max(40)
    .refine((s) => !Number.isNaN(Date.parse(s)), 'Expected an ISO 8601 time')
    .transform((s) => new Date(s).toISOString())
    .optional(),
});
const undoBody = z.object({ payload: z.string().max(200) });

/**
 * A door scans a ticket every few seconds; a device back online syncs its queue one scan after
 * another. 600 a minute per person or key is far above both and stops a runaway script (a forged
 * code is refused by its check before any query, so this is not what keeps guessing out).
 */
const PER_MINUTE = 600;

export function consoleCheckInApi(store: Store) {
  const app = new Hono<ConsoleEnv>();
  const limit = rateLimit(store, { max: PER_MINUTE, windowMs: 60_000, what: 'scans' });
  let secret: Promise<string> | undefined;
  // Read once per app; a failed read (a busy database) is not kept, the next request tries again.
  const ticketSecret = () =>
    (secret ??= instanceSecret(store.db, 'tickets').catch((error: unknown) => {
      secret = undefined;
      throw error;
    }));

  app.post('/check-in', async (c) => {
    const input = await readJson(c, checkInBody);
    await limit.take(`${c.var.organizerId}:${c.var.actor}`, store.now());
    const answer = await checkIn(store, { ...input, organizerId: c.var.organizerId, actor: c.var.actor, secret: await ticketSecret() });
    return c.json(answer);
  });

  app.post('/check-in/undo', async (c) => {
    const input = await readJson(c, undoBody);
    await undoCheckIn(store, { payload: input.payload, organizerId: c.var.organizerId, actor: c.var.actor, secret: await ticketSecret() });
    return c.json({ result: 'undone' });
  });

  app.get('/performances/:id/check-in-list', async (c) =>
    c.json(await checkInList(store.db, c.var.organizerId, c.req.param('id'), await ticketSecret(), store.now())),
  );

  app.get('/performances/:id/check-in-counts', async (c) => {
    const performance = await findPerformance(store.db, c.var.organizerId, c.req.param('id'));
    if (!performance) throw new DomainError('NOT_FOUND', 'No such performance');
    return c.json(await countsOf(store.db, performance.id));
  });

  app.get('/performances/:id/check-ins.csv', async (c) => {
    const performance = await findPerformance(store.db, c.var.organizerId, c.req.param('id'));
    if (!performance) throw new DomainError('NOT_FOUND', 'No such performance');
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="encore-check-ins-${performance.starts_at.slice(0, 10)}.csv"`);
    return c.body(await checkInsCsv(store.db, performance.id));
  });

  app.get('/events/:id/check-in-counts', async (c) => {
    const rows = await eventCheckInCounts(store.db, c.var.organizerId, c.req.param('id'));
    return c.json({ performances: rows.map((r) => ({ id: r.id, valid: Number(r.valid), checkedIn: Number(r.checked_in) })) });
  });

  return app;
}
