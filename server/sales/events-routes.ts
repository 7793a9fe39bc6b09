import { Hono } from 'hono';
import { eventQuery } from '../contracts/widget.ts';
import { eventBootstrap } from './bootstrap.ts';
import type { BootstrapCache } from './bootstrap-cache.ts';
import { DomainError } from '../platform/errors.ts';
import { readPreview } from './preview-token.ts';
import type { Store } from '../store.ts';
import type { ViewCounter } from '../stats/view-counter.ts';
import { originAllowed, type Refusals } from './cors.ts';
import { etagMatches } from '../platform/http/static-asset.ts';

/**
 * `secret` checks console preview tokens (see sales/preview-token.ts); `extraOrigins` may sell
 * for every organizer; `refusals` notes the sites that may not, for the organizer's console.
 */
export function eventsApi(store: Store, secret: string, cache: BootstrapCache, views: ViewCounter, extraOrigins: string[] = [], refusals?: Refusals) {
  const app = new Hono();

  // Public data: any site may read every answer, errors included, so a widget on a site that may
  // not sell, or with a mistyped slug, can say so instead of "check your connection". The body
  // says whether the asking site may sell, so it varies by Origin.
  app.use('*', (c, next) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Vary', 'Origin');
    return next();
  });
  app.options('*', (c) => c.body(null, 204, { 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Max-Age': '600' }));

  // Identical for every visitor in a locale on an allowed site: cached, and revalidated on each
  // use because availability changes (the ETag is of the body, so per locale and per verdict).
  app.get('/:slug', async (c) => {
    const query = eventQuery.safeParse(c.req.query());
    if (!query.success) {
      const field = String(query.error.issues[0]!.path[0] ?? 'locale');
      throw new DomainError('VALIDATION', field === 'preview' ? 'preview is not a preview token' : 'locale must be "ru" or "en"', field);
    }
    const { locale, preview } = query.data;
    const slug = c.req.param('slug');
    const origin = c.req.header('origin');
    if (preview !== undefined) {
      // The console's preview is not a visitor: not counted, not cached. A preview token that
      // is forged, expired or for another organizer's event is ignored: the widget draws the
      // saved settings, as it would without one.
      const draft = readPreview(secret, preview, store.now());
      const { body, origins, organizerId } = await eventBootstrap(store.db, slug, store.now(), locale, draft);
      c.header('Cache-Control', 'no-store');
      // With its organizer's token the preview walks every step wherever it is shown: its cart
      // calls are rehearsed and keep nothing (console/preview-carts.ts).
      const own = draft?.organizerId === organizerId;
      return c.json({ ...body, originAllowed: own || originAllowed(origin, origins, extraOrigins) });
    }
    const answer = await cache.get(slug, locale, () => eventBootstrap(store.db, slug, store.now(), locale));
    // Each answer, a 304 included, is a widget render.
    views.count(answer.eventId, store.now().toISOString().slice(0, 10));
    const allowed = originAllowed(origin, answer.origins, extraOrigins);
    if (!allowed) refusals?.log.record(answer.organizerId, origin!, store.now());
    // The cached body is the same for every site; the verdict goes in front of it.
    const etag = allowed ? answer.etag : `${answer.etag.slice(0, -1)}-refused"`;
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', etag);
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    return c.body(`{"originAllowed":${allowed},${answer.body.slice(1)}`, 200, { 'Content-Type': 'application/json' });
  });

  return app;
}
