import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { eventQuery } from '../contracts.ts';
import { eventBootstrap } from '../domain/bootstrap.ts';
import { DomainError } from '../domain/errors.ts';
import { readPreview } from '../domain/preview-token.ts';
import { countView } from '../domain/stats.ts';
import type { Store } from '../domain/store.ts';

/** `secret` checks console preview tokens (see domain/preview-token.ts). */
export function eventsApi(store: Store, secret: string) {
  const app = new Hono();
  app.use('*', etag());

  // Public and identical for every visitor in a locale: any site may read it; revalidated on
  // each use because availability changes (the ETag is of the body, so per locale too).
  app.get('/:slug', async (c) => {
    const query = eventQuery.safeParse(c.req.query());
    if (!query.success) {
      const field = String(query.error.issues[0]!.path[0] ?? 'locale');
      throw new DomainError('VALIDATION', field === 'preview' ? 'preview is not a preview token' : 'locale must be "ru" or "en"', field);
    }
    const { locale, preview } = query.data;
    // A preview token that is forged, expired or for another organizer's event is ignored: the
    // widget draws the saved settings, as it would without one.
    const draft = preview === undefined ? null : readPreview(secret, preview, store.now());
    const body = await eventBootstrap(store.db, c.req.param('slug'), store.now(), locale, draft);
    c.header('Access-Control-Allow-Origin', '*');
    if (preview !== undefined) {
      // The console's preview is not a visitor: not counted, not cached.
      c.header('Cache-Control', 'no-store');
      return c.json(body);
    }
    // Counted here, before etag() may turn the answer into a 304: each is a widget render.
    await countView(store, c.req.param('slug'));
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });

  return app;
}
