// The buyer's order page on the API origin, opened from the confirmation email or the widget's
// done screen with no sign-in: /o/{token} (HTML), /o/{token}/tickets.pdf, /o/{token}/event.ics.
// ?lang=ru|en switches the language (default: the order's). The token is the only key
// (order-access.ts), so the page is never cached, indexed or sent on as a Referer.
import { Hono, type Context } from 'hono';
import type { Store } from '../store.ts';
import { linkedOrder, qrImages, ticketsPdfOf } from './documents.ts';
import type { TicketLocale } from './i18n.ts';
import { orderByPageToken } from './order-access.ts';
import { orderIcs } from './order-ics.ts';
import { notFoundPage, orderPageHtml, pageCsp } from './order-page-html.ts';

const lang = (c: Context): TicketLocale | undefined => {
  const asked = c.req.query('lang');
  return asked === 'ru' || asked === 'en' ? asked : undefined;
};

function privateHeaders(c: Context) {
  c.header('Cache-Control', 'private, no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex, nofollow');
  c.header('X-Content-Type-Options', 'nosniff');
}

export function orderPages(store: Store, publicBaseUrl: string) {
  const app = new Hono();

  const open = async (c: Context) => {
    privateHeaders(c);
    const orderId = await orderByPageToken(store.db, c.req.param('token') ?? '');
    return orderId ? linkedOrder(store.db, orderId, { publicBaseUrl, locale: lang(c) }) : undefined;
  };
  const missing = (c: Context) => {
    const page = notFoundPage(lang(c) ?? 'ru');
    c.header('Content-Security-Policy', pageCsp(page.css));
    return c.html(page.html, 404);
  };

  app.get('/:token', async (c) => {
    const order = await open(c);
    if (!order) return missing(c);
    const page = orderPageHtml(order.details, await qrImages(order.details), c.req.param('token'));
    c.header('Content-Security-Policy', pageCsp(page.css));
    return c.html(page.html);
  });

  app.get('/:token/tickets.pdf', async (c) => {
    const order = await open(c);
    const pdf = order && (await ticketsPdfOf(order.details));
    if (!order || !pdf) return missing(c);
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `attachment; filename="tickets-${order.details.number}.pdf"`);
    return c.body(new Uint8Array(pdf));
  });

  app.get('/:token/event.ics', async (c) => {
    const order = await open(c);
    if (!order) return missing(c);
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="event.ics"');
    return c.body(orderIcs(order.details, order.pageUrl));
  });
  return app;
}
