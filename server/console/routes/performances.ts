// Performances: added under an event, then moved, paused, duplicated, archived or deleted by
// their own id.
import { Hono } from 'hono';
import { createPerformanceInput, duplicatePerformanceInput, updatePerformanceInput } from '../../contracts/console.ts';
import { deletePerformance } from '../archive.ts';
import { createPerformance, duplicatePerformance, updatePerformance } from '../schedule.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

export function consolePerformancesApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.post('/events/:id/performances', async (c) => {
    const input = await readJson(c, createPerformanceInput);
    return c.json(await createPerformance(store, c.var.organizerId, c.req.param('id'), input), 201);
  });

  app.patch('/performances/:id', async (c) => {
    const input = await readJson(c, updatePerformanceInput);
    return c.json(await updatePerformance(store, c.var.organizerId, c.req.param('id'), input));
  });

  app.delete('/performances/:id', async (c) => {
    await deletePerformance(store, c.var.organizerId, c.req.param('id'));
    return c.body(null, 204);
  });

  app.post('/performances/:id/duplicate', async (c) => {
    const input = await readJson(c, duplicatePerformanceInput);
    return c.json(await duplicatePerformance(store, c.var.organizerId, c.req.param('id'), input.startsAt), 201);
  });

  return app;
}
