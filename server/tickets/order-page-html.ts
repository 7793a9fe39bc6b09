// The order page's markup: one column that reads on a 320 px phone, the organizer's accent through
// the shared contrast function, no script at all. Everything not ours is escaped by hono/html's
// `html`; the one <style> is allowed by its hash (pageCsp), so the policy needs no 'unsafe-inline'.
import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { accentColors } from '../contracts/contrast.ts';
import type { OrderDetails } from './order-details.ts';
import { TICKET_STRINGS, type TicketLocale } from './i18n.ts';

const FALLBACK_ACCENT = '#8b1e3f';

function css(accent: string): string {
  const c = accentColors(accent);
  return `*{box-sizing:border-box}body{margin:0;background:#f3efe9;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:560px;margin:0 auto;padding:16px}header{border-top:6px solid ${accent};background:#fff;padding:16px;margin-bottom:12px}
.org{color:${c.link};margin:0 0 4px;font-weight:600}h1{font-size:1.5rem;line-height:1.25;margin:0 0 8px}h2{font-size:1.15rem;margin:0 0 4px}
.lang{float:right;color:${c.link}}a{color:${c.link}}dl{margin:8px 0 0}dt{font-size:.85rem;color:#555}dd{margin:0 0 8px}
.note{background:#fff;padding:12px 16px;margin:0 0 12px;border-left:4px solid ${c.ring}}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 12px}.btn{display:inline-block;padding:12px 18px;border-radius:4px;text-decoration:none;font-weight:600;background:${accent};color:${c.on};border:1px solid ${c.ring}}
.btn.alt{background:#fff;color:${c.link}}ul{list-style:none;padding:0;margin:0}
.ticket{background:#fff;padding:16px;margin:0 0 12px;text-align:center}.ticket p{margin:0 0 4px}.qr{width:min(100%,264px);height:auto;image-rendering:pixelated}
code{font-size:.8rem;word-break:break-all;color:#333}footer{font-size:.9rem;color:#555;padding:8px 0 24px}footer p{margin:0 0 8px}`;
}

/** Content-Security-Policy for a page whose only style is `css`: no scripts, no requests out. */
export function pageCsp(styleText: string): string {
  const hash = createHash('sha256').update(styleText).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

function shell(lang: string, title: string, style: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${title}</title><style>${raw(style)}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The box office, dialled or written to with one tap. */
function contactLink(contact: string) {
  if (contact.includes('@')) return html`<a href="mailto:${contact}">${contact}</a>`;
  const tel = contact.replace(/[^\d+]/g, '');
  return tel ? html`<a href="tel:${tel}">${contact}</a>` : contact;
}

export function orderPageHtml(d: OrderDetails, qr: { code: string; png: Buffer }[], token: string) {
  const t = d.t;
  const accent = /^#[0-9a-f]{6}$/i.test(d.organizer.accentColor) ? d.organizer.accentColor : FALLBACK_ACCENT;
  const style = css(accent);
  const other: TicketLocale = d.locale === 'ru' ? 'en' : 'ru';
  const q = d.locale === d.orderLocale ? '' : `?lang=${d.locale}`;
  const base = `/o/${token}`;
  const png = new Map(qr.map((q) => [q.code, q.png.toString('base64')]));
  const contacts = [d.organizer.supportPhone, d.organizer.supportEmail].filter((x): x is string => !!x);
  const body = html`<header>
<a class="lang" href="${base}?lang=${other}" lang="${other}" hreflang="${other}">${TICKET_STRINGS[other].language}</a>
<p class="org">${d.organizer.name}</p>
<h1>${d.event.title}</h1>
<dl><dt>${t.when}</dt><dd data-testid="when">${d.when}</dd><dt>${t.where}</dt><dd>${d.event.venue}</dd>
<dt>${t.order}</dt><dd data-testid="order-number">${d.number} · ${d.buyer.name} · ${t.total}: ${d.total}</dd></dl>
</header>
<p class="note" data-testid="state"><strong>${t.heading[d.status]}.</strong> ${t.note[d.status](d.until)}</p>
${
  d.tickets.length
    ? html`<div class="actions"><a class="btn" href="${base}/tickets.pdf${q}" download>${t.download}</a>
<a class="btn alt" href="${base}/event.ics${q}" download>${t.addToCalendar}</a></div>
<ul>${d.tickets.map(
        (ticket, i) => html`<li class="ticket" data-testid="ticket"><h2>${t.ticket} ${i + 1}: ${ticket.type}</h2><p>${ticket.price}</p>
<img class="qr" src="data:image/png;base64,${png.get(ticket.code)}" width="264" height="264" alt="QR ${t.ticket} ${i + 1}"><p><code>${ticket.qr}</code></p></li>`,
      )}</ul>`
    : ''
}
<footer>${d.tickets.length ? html`<p>${t.whatToBring}</p>` : ''}<p>${t.refund}</p>
${contacts.length ? html`<p>${t.boxOffice}: ${contacts.map((c, i) => html`${i ? ' · ' : ''}${contactLink(c)}`)}</p>` : ''}</footer>`;
  return { html: shell(d.locale, `${t.heading[d.status]} · ${d.event.title}`, style, body), css: style };
}

export function notFoundPage(locale: TicketLocale) {
  const t = TICKET_STRINGS[locale];
  const style = css(FALLBACK_ACCENT);
  return { html: shell(locale, t.notFound, style, html`<header><h1>${t.notFound}</h1><p>${t.notFoundText}</p></header>`), css: style };
}
