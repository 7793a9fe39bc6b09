// Widget settings, recovery settings and the sites allowed to embed the widget.
import { Hono } from 'hono';
import { updateSettingsInput } from '../../console-contracts.ts';
import { readSettings, updateSettings } from '../../domain/console-settings.ts';
import type { Store } from '../../domain/store.ts';
import type { ConsoleEnv } from '../console-env.ts';
import { readJson } from '../errors.ts';

export function consoleSettingsApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => c.json(await readSettings(store.db, c.var.organizerId, store.payments)));

  app.patch('/', async (c) => {
    const input = await readJson(c, updateSettingsInput);
    return c.json(await updateSettings(store, c.var.organizerId, input));
  });

  return app;
}
