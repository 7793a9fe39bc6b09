import { Hono } from 'hono';
import { html } from 'hono/html';
import { resumeInput } from '../contracts/widget.ts';
import { findOrganizer, stopSeries, suppress } from './recovery-db.ts';
import { resumeCart } from './resume.ts';
import { openUnsubscribeToken } from '../platform/signed-links.ts';
import type { Store } from '../store.ts';
import { touchingEvent } from '../sales/cors.ts';
import type { BootstrapCache } from '../sales/bootstrap-cache.ts';
import { readJson } from '../platform/http/errors.ts';

/** POST /api/v1/resume — the widget redeems a reminder link's token for the cart. */
export function resumeApi(store: Store, secret: string, extraOrigins: string[], bootstraps: BootstrapCache) {
  const app = new Hono();
  app.post('/', async (c) => {
    const { token, device } = await readJson(c, resumeInput);
    const body = await touchingEvent(c, extraOrigins, bootstraps, (origin) => resumeCart(store, secret, token, origin, device));
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  return app;
}

const page = (title: string, body: ReturnType<typeof html>) => html`<!doctype html>
  <html lang="ru">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>${title}</title>
      <style>
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #222; }
        button { font: inherit; padding: .6rem 1.2rem; border-radius: .4rem; border: 0; background: #222; color: #fff; cursor: pointer; }
        .en { color: #555; }
      </style>
    </head>
    <body>
      ${body}
    </body>
  </html>`;

/**
 * /u/{token} — unsubscribe. GET shows a confirmation button (mail scanners follow GET links,
 * so GET never changes anything); POST unsubscribes. Mail clients send RFC 8058's one-click
 * POST to the same URL with `List-Unsubscribe=One-Click`, without cookies.
 */
export function unsubscribePages(store: Store, secret: string) {
  const app = new Hono();
  const claimOr404 = async (token: string) => {
    const opened = openUnsubscribeToken(secret, token);
    if (!opened.ok) return null;
    const organizer = await findOrganizer(store.db, opened.claim.organizerId);
    return organizer ? { ...opened.claim, organizerName: organizer.name } : null;
  };
  const invalid = page('Ссылка недействительна', html`<h1>Ссылка недействительна</h1><p class="en">This unsubscribe link is not valid.</p>`);

  app.get('/:token', async (c) => {
    const claim = await claimOr404(c.req.param('token'));
    if (!claim) return c.html(invalid, 404);
    return c.html(
      page(
        'Отписаться',
        html`<h1>Больше не присылать напоминания?</h1>
          <p>Письма о незавершённых покупках от «${claim.organizerName}» больше не придут.</p>
          <p class="en">Stop reminder emails from ${claim.organizerName}.</p>
          <form method="post"><button type="submit">Отписаться · Unsubscribe</button></form>`,
      ),
    );
  });

  app.post('/:token', async (c) => {
    const claim = await claimOr404(c.req.param('token'));
    if (!claim) return c.html(invalid, 404);
    const now = store.now().toISOString();
    await store.tx(async (trx) => {
      await suppress(trx, claim.organizerId, claim.emailHash, 'unsubscribe', now);
      await stopSeries(trx, { organizerId: claim.organizerId, emailHash: claim.emailHash }, 'unsubscribed');
    });
    return c.html(
      page(
        'Вы отписались',
        html`<h1>Готово, вы отписались</h1>
          <p>«${claim.organizerName}» больше не будет присылать вам напоминания.</p>
          <p class="en">You will get no more reminders from ${claim.organizerName}.</p>`,
      ),
    );
  });
  return app;
}
