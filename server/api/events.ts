import { Hono } from 'hono';
import { eventQuery } from '../contracts.ts';
import { eventBootstrap } from '../domain/bootstrap.ts';
import type { BootstrapCache } from '../domain/bootstrap-cache.ts';
import { DomainError } from '../domain/errors.ts';
import { readPreview } from '../domain/preview-token.ts';
import type { Store } from '../domain/store.ts';
import type { ViewCounter } from '../domain/view-counter.ts';
import { etagMatches } from './static-asset.ts';

/** `secret` checks console preview tokens (see domain/preview-token.ts). */
export function eventsApi(store: Store, secret: string, cache: BootstrapCache, views: ViewCounter) {
  const app = new Hono();

  // Public and identical for every visitor in a locale: any site may read it; revalidated on
  // each use because availability changes (the ETag is of the body, so per locale too).
  app.get('/:slug', async (c) => {
    const query = eventQuery.safeParse(c.req.query());
    if (!query.success) {
      const field = String(query.error.issues[0]!.path[0] ?? 'locale');
      throw new DomainError('VALIDATION', field === 'preview' ? 'preview is not a preview token' : 'locale must be "ru" or "en"', field);
    }
    const { locale, preview } = query.data;
    const slug = c.req.param('slug');
    c.header('Access-Control-Allow-Origin', '*');
    if (preview !== undefined) {
      // The console's preview is not a visitor: not counted, not cached. A preview token that
      // is forged, expired or for another organizer's event is ignored: the widget draws the
      // saved settings, as it would without one.
      const draft = readPreview(secret, preview, store.now());
      c.header('Cache-Control', 'no-store');
      return c.json((await eventBootstrap(store.db, slug, store.now(), locale, draft)).body);
    }
    const answer = await cache.get(slug, locale, () => eventBootstrap(store.db, slug, store.now(), locale));
    // Each answer, a 304 included, is a widget render.
    views.count(answer.eventId, store.now().toISOString().slice(0, 10));
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', answer.etag);
    if (etagMatches(c.req.header('if-none-match'), answer.etag)) return c.body(null, 304);
    return c.body(answer.body, 200, { 'Content-Type': 'application/json' });
  });

  return app;
}
