// Console: the organizer's webhook endpoints and their delivery log. Mounted behind the console's
// authentication, which puts the organizer on the context; every query is scoped by it.
import { Hono } from 'hono';
import { z } from 'zod';
import { webhookEndpointInput, webhookEndpointPatch } from '../contracts/widget.ts';
import { webhookEndpoints } from './endpoints.ts';
import type { Store } from '../store.ts';
import type { ConsoleEnv } from '../console/env.ts';
import { readJson } from '../platform/http/errors.ts';

export interface ConsoleWebhooksOptions {
  /** Allow http:// endpoints on localhost/127.0.0.1 (tests and the demo only). */
  allowLoopbackWebhooks?: boolean;
}

const limitQuery = z.coerce.number().int().min(1).max(200).catch(50);

export function consoleWebhooksApi(store: Store, opts: ConsoleWebhooksOptions = {}) {
  const endpoints = webhookEndpoints(store, { allowLoopback: opts.allowLoopbackWebhooks ?? false });
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => c.json({ endpoints: await endpoints.list(c.var.organizerId) }));

  /** 201 with the signing secret — the only response besides /secret and /rotate-secret that shows it. */
  app.post('/', async (c) => {
    const input = await readJson(c, webhookEndpointInput);
    return c.json({ endpoint: await endpoints.create(c.var.organizerId, input) }, 201);
  });

  app.patch('/:id', async (c) => {
    const patch = await readJson(c, webhookEndpointPatch);
    return c.json({ endpoint: await endpoints.update(c.var.organizerId, c.req.param('id'), patch) });
  });

  app.delete('/:id', async (c) => {
    await endpoints.remove(c.var.organizerId, c.req.param('id'));
    return c.body(null, 204);
  });

  app.get('/:id/secret', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await endpoints.revealSecret(c.var.organizerId, c.req.param('id')));
  });

  app.post('/:id/rotate-secret', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await endpoints.rotateSecret(c.var.organizerId, c.req.param('id')));
  });

  /** The delivery log, newest first. */
  app.get('/:id/deliveries', async (c) => {
    const limit = limitQuery.parse(c.req.query('limit') ?? 50);
    return c.json({ deliveries: await endpoints.deliveries(c.var.organizerId, c.req.param('id'), limit) });
  });

  app.post('/:id/test', async (c) => c.json(await endpoints.sendTest(c.var.organizerId, c.req.param('id')), 202));

  return app;
}
