// The HTML part of a reminder: a single-column table layout with inline styles, which is what
// mail clients render reliably. Every piece of text arrives unescaped and is escaped here; the
// only markup is ours.
import { escapeHtml as e } from './html.ts';
import type { MailStrings } from './i18n.ts';

export interface ReminderHtmlParts {
  lang: string;
  subject: string;
  accent: string;
  /** The opening text, filled in with `encode` applied to literal text and values alike. */
  body: (encode: (s: string) => string) => string;
  strings: MailStrings;
  organizer: string;
  heading: string;
  venue: string;
  lines: { label: string; amount: string }[];
  total: string;
  holdLine: string;
  discount: string | null;
  resumeUrl: string;
  unsubscribeUrl: string;
  contacts: string[];
}

const FONT = "font-family:Georgia,'Times New Roman',serif";
const SANS = 'font-family:Helvetica,Arial,sans-serif';

/** Only web links become hrefs; anything else (javascript:, data:) would be a hole. */
const href = (url: string) => (/^https?:\/\//i.test(url) ? e(url) : '#');

/** White or near-black text, whichever reads better on the accent colour. */
function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.4 ? '#111111' : '#ffffff';
}

/** Blank lines separate paragraphs; single newlines are line breaks. */
function paragraphs(escaped: string): string {
  return escaped
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p style="margin:0 0 14px;${SANS};font-size:16px;line-height:1.5;color:#222222">${p.trim().replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}

function contact(c: string): string {
  if (c.includes('@')) return `<a href="mailto:${e(c)}" style="color:#555555">${e(c)}</a>`;
  const tel = c.replace(/[^\d+]/g, '');
  return tel ? `<a href="tel:${e(tel)}" style="color:#555555">${e(c)}</a>` : e(c);
}

export function reminderHtml(p: ReminderHtmlParts): string {
  const t = p.strings;
  const rows = p.lines
    .map(
      (l) => `<tr><td style="padding:6px 0;${SANS};font-size:15px;color:#222222">${e(l.label)}</td>
<td align="right" style="padding:6px 0;${SANS};font-size:15px;color:#222222;white-space:nowrap">${e(l.amount)}</td></tr>`,
    )
    .join('\n');
  const discount = p.discount
    ? `<tr><td style="padding:0 32px 20px"><div style="border:2px dashed ${p.accent};padding:12px 16px;${SANS};font-size:15px;color:#222222">${e(p.discount)}</div></td></tr>`
    : '';
  const contacts = p.contacts.length ? `<br>${e(t.questions)} ${p.contacts.map(contact).join(' · ')}` : '';

  return `<!doctype html>
<html lang="${e(p.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(p.subject)}</title></head>
<body style="margin:0;padding:0;background:#f3efe9">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3efe9"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-top:6px solid ${p.accent}">
<tr><td style="padding:24px 32px 8px;${FONT};font-size:20px;color:${p.accent}">${e(p.organizer)}</td></tr>
<tr><td style="padding:8px 32px 4px">${paragraphs(p.body(e))}</td></tr>
<tr><td style="padding:0 32px 16px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-top:1px solid #e4ded6;border-bottom:1px solid #e4ded6">
<tr><td colspan="2" style="padding:12px 0 4px;${FONT};font-size:18px;color:#111111">${e(p.heading)}</td></tr>
<tr><td colspan="2" style="padding:0 0 8px;${SANS};font-size:14px;color:#666666">${e(p.venue)}</td></tr>
${rows}
<tr><td style="padding:8px 0 12px;${SANS};font-size:16px;font-weight:bold;color:#111111">${e(t.total)}</td>
<td align="right" style="padding:8px 0 12px;${SANS};font-size:16px;font-weight:bold;color:#111111;white-space:nowrap">${e(p.total)}</td></tr>
</table></td></tr>
<tr><td style="padding:0 32px 20px;${SANS};font-size:15px;color:#444444">${e(p.holdLine)}</td></tr>
${discount}
<tr><td align="center" style="padding:4px 32px 24px">
<a href="${href(p.resumeUrl)}" style="display:inline-block;background:${p.accent};color:${textOn(p.accent)};${SANS};font-size:17px;font-weight:bold;text-decoration:none;padding:14px 28px;border-radius:4px">${e(t.button)}</a>
<p style="margin:14px 0 0;${SANS};font-size:12px;color:#777777">${e(t.buttonFallback)}<br><a href="${href(p.resumeUrl)}" style="color:#777777;word-break:break-all">${e(p.resumeUrl)}</a></p>
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid #eeeeee;${SANS};font-size:12px;line-height:1.6;color:#777777">
${e(p.organizer)}${contacts}<br>${e(t.whyThisEmail(p.organizer))}<br>
<a href="${href(p.unsubscribeUrl)}" style="color:#555555">${e(t.unsubscribe)}</a>
</td></tr>
</table></td></tr></table>
</body></html>`;
}
