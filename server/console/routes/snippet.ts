// The embed code for one of the organizer's events.
import { Hono } from 'hono';
import { z } from 'zod';
import { slug } from '../../contracts/console.ts';
import { DomainError } from '../../platform/errors.ts';
import { embedSnippet } from '../snippet.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';

const query = z.object({ event: slug });

export function consoleSnippetApi(store: Store, publicBaseUrl: string) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => {
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) throw new DomainError('VALIDATION', 'Name the event: ?event=<slug>', 'event');
    return c.json(await embedSnippet(store.db, c.var.organizerId, parsed.data.event, publicBaseUrl));
  });

  return app;
}
