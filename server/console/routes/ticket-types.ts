// Ticket types: added under an event, changed, archived or deleted by their own id.
import { Hono } from 'hono';
import { createTicketTypeInput, updateTicketTypeInput } from '../../contracts/console.ts';
import { deleteTicketType } from '../archive.ts';
import { createTicketType, updateTicketType } from '../schedule.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

export function consoleTicketTypesApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.post('/events/:id/ticket-types', async (c) => {
    const input = await readJson(c, createTicketTypeInput);
    return c.json(await createTicketType(store, c.var.organizerId, c.req.param('id'), input), 201);
  });

  app.patch('/ticket-types/:id', async (c) => {
    const input = await readJson(c, updateTicketTypeInput);
    return c.json(await updateTicketType(store, c.var.organizerId, c.req.param('id'), input));
  });

  app.delete('/ticket-types/:id', async (c) => {
    await deleteTicketType(store, c.var.organizerId, c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}
