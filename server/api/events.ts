import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { eventQuery } from '../contracts.ts';
import { eventBootstrap } from '../domain/bootstrap.ts';
import { DomainError } from '../domain/errors.ts';
import { countView } from '../domain/stats.ts';
import type { Store } from '../domain/store.ts';

export function eventsApi(store: Store) {
  const app = new Hono();
  app.use('*', etag());

  // Public and identical for every visitor in a locale: any site may read it; revalidated on
  // each use because availability changes (the ETag is of the body, so per locale too).
  app.get('/:slug', async (c) => {
    const query = eventQuery.safeParse(c.req.query());
    if (!query.success) throw new DomainError('VALIDATION', 'locale must be "ru" or "en"', 'locale');
    const body = await eventBootstrap(store.db, c.req.param('slug'), store.now(), query.data.locale);
    // Counted here, before etag() may turn the answer into a 304: each is a widget render.
    await countView(store, c.req.param('slug'));
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });

  return app;
}
