// The organizer's events.
import { Hono } from 'hono';
import { createEventInput, updateEventInput } from '../../console-contracts.ts';
import { createEvent, eventDetail, listEvents, updateEvent } from '../../domain/console-events.ts';
import type { Store } from '../../domain/store.ts';
import type { ConsoleEnv } from '../console-env.ts';
import { readJson } from '../errors.ts';

export function consoleEventsApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => c.json({ events: await listEvents(store.db, c.var.organizerId) }));

  app.post('/', async (c) => {
    const input = await readJson(c, createEventInput);
    return c.json(await createEvent(store, c.var.organizerId, input), 201);
  });

  app.get('/:id', async (c) => c.json(await eventDetail(store, c.var.organizerId, c.req.param('id'))));

  app.patch('/:id', async (c) => {
    const input = await readJson(c, updateEventInput);
    return c.json(await updateEvent(store, c.var.organizerId, c.req.param('id'), input));
  });

  return app;
}
