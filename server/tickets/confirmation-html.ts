// The HTML part of an order email: the reminder emails' single-column table layout with inline
// styles (what mail clients render), the organizer's accent through the shared contrast
// function. Every piece of text is escaped here; the only markup is ours. QR codes are inline
// attachments (cid:), which mail clients show where they block data: and remote images.
import { accentColors } from '../contracts/contrast.ts';
import { escapeHtml as e } from '../platform/mail/html.ts';
import type { OrderDetails } from './order-details.ts';

const SANS = 'font-family:Helvetica,Arial,sans-serif';
const SERIF = "font-family:Georgia,'Times New Roman',serif";
const QUIET = '#666666';
const FALLBACK_ACCENT = '#8b1e3f';

export interface OrderMailParts {
  details: OrderDetails;
  subject: string;
  intro: string;
  pageUrl: string;
  tickets: (OrderDetails['tickets'][number] & { cid: string })[];
  reservedNote: string | null;
  contacts: string[];
  showRefund: boolean;
}

const href = (url: string) => (/^https?:\/\//i.test(url) ? e(url) : '#');
const p = (text: string, style = '') => `<p style="margin:0 0 12px;${SANS};font-size:15px;line-height:1.5;color:#222222;${style}">${e(text)}</p>`;

export function orderMailHtml(m: OrderMailParts): string {
  const d = m.details;
  const t = d.t;
  const accent = /^#[0-9a-f]{6}$/i.test(d.organizer.accentColor) ? d.organizer.accentColor : FALLBACK_ACCENT;
  const colours = accentColors(accent);
  const tickets = m.tickets
    .map(
      (ticket, i) => `<tr><td style="padding:12px 0;border-top:1px solid #e4ded6;${SANS};font-size:15px;color:#222222">
<strong>${e(t.ticket)} ${i + 1}: ${e(ticket.type)}</strong> · ${e(ticket.price)}<br>
<img src="cid:${e(ticket.cid)}" width="180" height="180" alt="QR ${e(t.ticket)} ${i + 1}" style="display:block;margin:8px 0 4px;width:180px;height:180px"><span style="font-family:monospace;font-size:12px;color:#333333">${e(ticket.qr)}</span>
</td></tr>`,
    )
    .join('\n');
  const total = m.tickets.length
    ? `<tr><td style="padding:8px 0 0;border-top:1px solid #e4ded6;${SANS};font-size:16px;font-weight:bold;color:#111111">${e(t.total)}: ${e(d.total)}</td></tr>`
    : '';
  return `<!doctype html>
<html lang="${e(d.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(m.subject)}</title></head>
<body style="margin:0;padding:0;background:#f3efe9">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3efe9"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-top:6px solid ${accent}">
<tr><td style="padding:24px 32px 8px;${SERIF};font-size:20px;color:${colours.link}">${e(d.organizer.name)}</td></tr>
<tr><td style="padding:8px 32px 4px">${p(t.greeting(d.buyer.name))}${p(m.intro)}</td></tr>
<tr><td style="padding:0 32px 16px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td style="padding:4px 0;${SERIF};font-size:19px;color:#111111">${e(d.event.title)}</td></tr>
<tr><td style="padding:0 0 2px;${SANS};font-size:15px;color:#222222">${e(d.when)}</td></tr>
<tr><td style="padding:0 0 2px;${SANS};font-size:15px;color:#222222">${e(d.event.venue)}</td></tr>
<tr><td style="padding:0 0 10px;${SANS};font-size:14px;color:${QUIET}">${e(t.order)}: <strong style="color:#111111">${e(d.number)}</strong></td></tr>
${tickets}
${total}
</table></td></tr>
${m.reservedNote ? `<tr><td style="padding:0 32px 8px">${p(m.reservedNote, 'font-weight:bold')}</td></tr>` : ''}
${m.tickets.length ? `<tr><td style="padding:0 32px 8px">${p(t.whatToBring)}${p(t.attached, `color:${QUIET};font-size:13px`)}</td></tr>` : ''}
<tr><td align="center" style="padding:8px 32px 20px">
<a href="${href(m.pageUrl)}" style="display:inline-block;background:${accent};color:${colours.on};${SANS};font-size:16px;font-weight:bold;text-decoration:none;padding:13px 26px;border-radius:4px;border:1px solid ${colours.ring}">${e(t.orderPage)}</a>
<p style="margin:12px 0 0;${SANS};font-size:12px;color:${QUIET}">${e(t.pageFallback)}<br><a href="${href(m.pageUrl)}" style="color:${colours.link};word-break:break-all">${e(m.pageUrl)}</a></p>
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid #eeeeee;${SANS};font-size:13px;line-height:1.6;color:${QUIET}">
${m.showRefund ? `${e(t.refund)}<br>` : ''}${m.contacts.length ? `${e(t.boxOffice)}: ${m.contacts.map(e).join(' · ')}<br>` : ''}${e(d.organizer.name)}
</td></tr>
</table></td></tr></table>
</body></html>`;
}
