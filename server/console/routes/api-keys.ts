// API keys for the organizer's own scripts: listed without the secret, created (the key is in
// this one response only), revoked.
import { Hono } from 'hono';
import { createApiKeyInput } from '../../contracts/console.ts';
import { createApiKey, listKeys, revokeKey } from '../accounts.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

export function consoleApiKeysApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => c.json({ apiKeys: await listKeys(store.db, c.var.organizerId) }));

  app.post('/', async (c) => {
    const input = await readJson(c, createApiKeyInput);
    return c.json(await createApiKey(store.db, c.var.organizerId, input.name, store.now(), input.scopes), 201);
  });

  app.delete('/:id', async (c) => {
    await revokeKey(store.db, c.var.organizerId, c.req.param('id'), store.now());
    return c.body(null, 204);
  });

  return app;
}
