// The HTML part of a reminder: a single-column table layout with inline styles, which is what
// mail clients render reliably. Every piece of text arrives unescaped and is escaped here; the
// only markup is ours. Colours come from the organizer's accent through the shared contrast
// function, so any accent keeps AA: text on the button, the accent as text (4.5:1), the footer.
import { accentColors } from '../contracts/contrast.ts';
import { escapeHtml as e } from '../platform/mail/html.ts';
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

/** Small print (footer, the link under the button): 5.7:1 on white; its links 7.5:1. */
const QUIET = '#666666';
const QUIET_LINK = '#555555';

/** Blank lines separate paragraphs; single newlines are line breaks. */
function paragraphs(escaped: string): string {
  return escaped
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p style="margin:0 0 14px;${SANS};font-size:16px;line-height:1.5;color:#222222">${p.trim().replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}

/** An address or a phone number broken across lines is hard to read and to dial: no wrapping
 * inside one, and the phone's spaces are non-breaking for clients that ignore white-space. */
function contact(c: string): string {
  const style = `color:${QUIET_LINK};white-space:nowrap`;
  if (c.includes('@')) return `<a href="mailto:${e(c)}" style="${style}">${e(c)}</a>`;
  const tel = c.replace(/[^\d+]/g, '');
  const shown = e(c).replace(/ /g, '&nbsp;');
  return tel ? `<a href="tel:${e(tel)}" style="${style}">${shown}</a>` : `<span style="white-space:nowrap">${shown}</span>`;
}

/** A button Outlook for Windows draws too: Word's renderer ignores padding and border-radius on
 * links, so it gets a VML rounded rectangle (the whole shape is the link); every other client
 * gets the padded link inside a table cell that carries the background. */
function button(url: string, label: string, accent: string, on: string, edge: string): string {
  const text = `${SANS};font-size:17px;font-weight:bold;color:${on}`;
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" align="center" style="margin:0 auto"><tr>
<td align="center" bgcolor="${accent}" style="background:${accent};border:1px solid ${edge};border-radius:4px">
<!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="urn:schemas-microsoft-com:office:word" href="${url}" style="height:50px;v-text-anchor:middle;width:320px" arcsize="8%" strokecolor="${edge}" fillcolor="${accent}"><w:anchorlock/><center style="${text}">${label}</center></v:roundrect><![endif]-->
<!--[if !mso]><!--><a href="${url}" style="display:inline-block;background:${accent};${text};text-decoration:none;padding:14px 28px;border-radius:4px">${label}</a><!--<![endif]-->
</td></tr></table>`;
}

export function reminderHtml(p: ReminderHtmlParts): string {
  const t = p.strings;
  const colours = accentColors(p.accent);
  const rows = p.lines
    .map(
      (l) => `<tr><td style="padding:6px 0;${SANS};font-size:15px;color:#222222">${e(l.label)}</td>
<td align="right" style="padding:6px 0;${SANS};font-size:15px;color:#222222;white-space:nowrap">${e(l.amount)}</td></tr>`,
    )
    .join('\n');
  const discount = p.discount
    ? `<tr><td style="padding:0 32px 20px"><div style="border:2px dashed ${colours.ring};padding:12px 16px;${SANS};font-size:15px;color:#222222">${e(p.discount)}</div></td></tr>`
    : '';
  const contacts = p.contacts.length ? `<br>${e(t.questions)} ${p.contacts.map(contact).join(' · ')}` : '';

  return `<!doctype html>
<html lang="${e(p.lang)}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(p.subject)}</title></head>
<body style="margin:0;padding:0;background:#f3efe9">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3efe9"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-top:6px solid ${p.accent}">
<tr><td style="padding:24px 32px 8px;${FONT};font-size:20px;color:${colours.link}">${e(p.organizer)}</td></tr>
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
${button(href(p.resumeUrl), e(t.button), p.accent, colours.on, colours.ring)}
<p style="margin:14px 0 0;${SANS};font-size:12px;color:${QUIET}">${e(t.buttonFallback)}<br><a href="${href(p.resumeUrl)}" style="color:${colours.link};word-break:break-all">${e(p.resumeUrl)}</a></p>
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid #eeeeee;${SANS};font-size:12px;line-height:1.6;color:${QUIET}">
${e(p.organizer)}${contacts}<br>${e(t.whyThisEmail(p.organizer))}<br>
<a href="${href(p.unsubscribeUrl)}" style="color:${QUIET_LINK}">${e(t.unsubscribe)}</a>
</td></tr>
</table></td></tr></table>
</body></html>`;
}
