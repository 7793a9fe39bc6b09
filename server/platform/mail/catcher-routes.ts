// Pages of the built-in mail catcher, mounted at /mail when no SMTP_URL is configured. Every
// value comes from a caught message (subjects are organizer text), so all of it is escaped, and
// a message's HTML is shown in a sandboxed srcdoc iframe: no scripts, no access to our origin.
// Its links open in a new tab, as a mail client's do: followed inside the frame, the page's CSP
// (frame-src 'self') blocked them and left a broken-page icon where the email was.
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CaughtMail, MailCatcher } from './catcher.ts';
import { escapeHtml as e } from './html.ts';
import { FRAME_SANDBOX, linksInNewTab } from '../../contracts/mail-frame.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; frame-src 'self'";
const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{padding:.4rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
a{color:#8b1e3f}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}iframe{width:100%;height:40rem;border:1px solid #ccc}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-all}`;

function page(title: string, body: string, refresh = false) {
  return `<!doctype html><html><head><meta charset="utf-8">${refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<title>${e(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** Caught mail carries resume and unsubscribe links and buyers' details, so only this machine
 * may read it, and only with the catcher's token: behind a reverse proxy on the same host every
 * request comes from loopback. A request without a socket (app.request in tests) comes from
 * inside the process. */
function fromLoopback(c: Context): boolean {
  const address = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
  return address === undefined || address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

const COOKIE = 'encore_mail';

const sameToken = (given: string | undefined, token: string) =>
  given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(token).digest());

function summary(m: CaughtMail) {
  return { id: m.id, receivedAt: m.receivedAt, messageId: m.messageId, from: m.from, to: m.to, subject: m.subject };
}

/**
 * `token`: the link printed at start-up (/mail?token=…) sets a cookie for /mail and drops the
 * token from the address; scripts may send it as a bearer token instead.
 */
export function mailCatcherApi(catcher: MailCatcher, token: string) {
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (!fromLoopback(c)) return c.text('The mail catcher answers only on this machine', 403);
    const given = c.req.query('token');
    if (given !== undefined && sameToken(given, token)) {
      setCookie(c, COOKIE, token, { path: '/mail', httpOnly: true, sameSite: 'Strict' });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const bearer = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!sameToken(getCookie(c, COOKIE), token) && !sameToken(bearer, token)) {
      return c.text('The mail catcher opens with the link the server printed when it started (/mail?token=…).', 401);
    }
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Frame-Options', 'SAMEORIGIN');
  });

  app.get('/', (c) => {
    const mail = catcher.list();
    const rows = mail
      .map(
        (m) => `<tr><td>${e(new Date(m.receivedAt).toLocaleString('en-GB'))}</td><td>${e(m.to.join(', '))}</td>
<td><a href="/mail/${e(encodeURIComponent(m.id))}">${e(m.subject || '(no subject)')}</a></td><td>${e(m.from)}</td></tr>`,
      )
      .join('\n');
    const body = `<h1>Caught mail</h1>
<p>Everything Encore sends while no <code>SMTP_URL</code> is set lands here (SMTP on port ${catcher.port}).
This page refreshes every 5 seconds; the last 500 messages are kept in memory.</p>
${mail.length === 0 ? '<p><em>Nothing yet.</em></p>' : `<table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th>From</th></tr></thead><tbody>${rows}</tbody></table>`}`;
    return c.html(page(`Caught mail (${mail.length})`, body, true));
  });

  app.get('/api/messages', (c) => c.json({ messages: catcher.list().map(summary) }));

  app.get('/api/messages/:id', (c) => {
    const m = catcher.get(c.req.param('id'));
    return m ? c.json(m) : c.json({ error: { code: 'NOT_FOUND', message: 'No such caught message' } }, 404);
  });

  app.get('/:id', (c) => {
    const m = catcher.get(c.req.param('id'));
    if (!m) return c.html(page('Not found', '<p>No such message (only the last 500 are kept). <a href="/mail">Back</a></p>'), 404);
    const headers = m.headers.map((h) => `<dt>${e(h.name)}</dt><dd>${e(h.value)}</dd>`).join('');
    const body = `<p><a href="/mail">← All caught mail</a></p><h1>${e(m.subject || '(no subject)')}</h1>
<dl><dt>Envelope to</dt><dd>${e(m.to.join(', '))}</dd>${headers}</dl>
${m.html === null ? '' : `<h2>HTML</h2><iframe sandbox="${FRAME_SANDBOX}" srcdoc="${e(linksInNewTab(m.html))}" title="HTML body"></iframe>`}
<h2>Plain text</h2><pre>${e(m.text)}</pre>`;
    return c.html(page(m.subject || 'Caught mail', body));
  });

  return app;
}
