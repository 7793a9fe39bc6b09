// GET /console/preview/{slug}?token=&locale= — the page inside the console's widget-settings
// iframe: the real /widget.js from this server, inline and as a button, drawing the event with
// the draft settings a preview token carries (POST /api/console/v1/preview). Public like the
// widget itself; without a valid token the widget shows the saved settings.
import { Hono } from 'hono';
import { escapeHtml } from '../platform/mail/html.ts';

// Cart calls from this page carry the token and are rehearsed (console/preview-carts.ts).
const TEXT = {
  ru: { title: 'Предпросмотр виджета', note: 'Можно пройти все шаги: предпросмотр не держит мест и не создаёт заказов.' },
  en: { title: 'Widget preview', note: 'Walk every step: the preview holds no seats and creates no orders.' },
};

export function consolePreviewPage() {
  const app = new Hono();

  app.get('/:slug', (c) => {
    const slug = escapeHtml(c.req.param('slug'));
    const token = escapeHtml(c.req.query('token') ?? '');
    const locale = c.req.query('locale') === 'en' ? 'en' : 'ru';
    const attrs = `data-encore-event="${slug}" data-encore-locale="${locale}"${token ? ` data-encore-preview="${token}"` : ''}`;
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    c.header('Content-Security-Policy', "frame-ancestors 'self'");
    return c.html(`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${TEXT[locale].title}</title>
<style>body{margin:0;padding:16px;font:15px/1.5 system-ui,sans-serif;background:#fff;color:#1c1b1f}.bar{margin:0 0 16px}.title{margin:0;font-size:15px}.note{margin:0 0 12px;color:#5b5763;font-size:13px}.bar button{font:inherit;padding:8px 16px;border-radius:8px;border:1px solid #b9b4c0;background:#fff;cursor:pointer}</style>
</head>
<body>
<main>
<h1 class="title">${TEXT[locale].title}</h1>
<p class="note" data-testid="preview-note">${TEXT[locale].note}</p>
<p class="bar"><button type="button" ${attrs} data-encore-mode="button" data-testid="preview-button"></button></p>
<div ${attrs} data-testid="preview-inline"></div>
</main>
<script src="/widget.js" async></script>
</body>
</html>`);
  });

  return app;
}
