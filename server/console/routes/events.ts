// The organizer's events: PATCH {"archived": true|false} archives or restores one, DELETE
// deletes one that never sold (409 HAS_SALES otherwise).
import { Hono } from 'hono';
import { createEventInput, eventListQuery, updateEventInput } from '../../contracts/console.ts';
import { deleteEvent } from '../archive.ts';
import { createEvent, eventDetail, listEvents, updateEvent } from '../events.ts';
import { invalidInput } from '../../platform/errors.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

export function consoleEventsApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => {
    const query = eventListQuery.safeParse(c.req.query());
    if (!query.success) throw invalidInput(query.error);
    return c.json({ events: await listEvents(store.db, c.var.organizerId, query.data.archived) });
  });

  app.post('/', async (c) => {
    const input = await readJson(c, createEventInput);
    return c.json(await createEvent(store, c.var.organizerId, input), 201);
  });

  app.get('/:id', async (c) => c.json(await eventDetail(store, c.var.organizerId, c.req.param('id'))));

  app.patch('/:id', async (c) => {
    const input = await readJson(c, updateEventInput);
    return c.json(await updateEvent(store, c.var.organizerId, c.req.param('id'), input));
  });

  app.delete('/:id', async (c) => {
    await deleteEvent(store, c.var.organizerId, c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}
