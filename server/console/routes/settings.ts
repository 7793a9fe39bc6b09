// Widget settings, recovery settings and the sites allowed to embed the widget.
import { Hono } from 'hono';
import { updateSettingsInput } from '../../contracts/console.ts';
import { readSettings, updateSettings } from '../settings.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

export function consoleSettingsApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => c.json(await readSettings(store.db, c.var.organizerId, store.payments)));

  app.patch('/', async (c) => {
    const input = await readJson(c, updateSettingsInput);
    return c.json(await updateSettings(store, c.var.organizerId, input));
  });

  return app;
}
