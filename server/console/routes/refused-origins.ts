// Sites that tried to sell this organizer's tickets but are not among their allowed origins
// (sales/refused-origins.ts): the snippet page lists them with a button to allow one.
import { Hono } from 'hono';
import type { RefusedOrigins } from '../../sales/refused-origins.ts';
import type { ConsoleEnv } from '../env.ts';

export function consoleRefusedOriginsApi(refused: RefusedOrigins) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => c.json({ origins: await refused.list(c.var.organizerId) }));

  return app;
}
