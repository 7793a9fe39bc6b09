// Reminder emails: subject, HTML and plain text from one input, in Russian or English. The
// organizer's own wording for a step replaces the built-in subject and opening; the cart, the
// hold, the button, the discount and the unsubscribe footer are always there.
import { MAIL_STRINGS, type MailLocale } from './i18n.ts';
import { reminderHtml } from './reminder-html.ts';
import type { Sender } from '../platform/mail/sender.ts';
import { fillTemplate, validateTemplate, type TemplateValues } from '../contracts/template-variables.ts';
import { moneyFormatter } from '../platform/mail/format.ts';

export { TEMPLATE_VARIABLES, validateTemplate } from '../contracts/template-variables.ts';

export interface ReminderEmailInput {
  locale: MailLocale;
  /** 0-based index of the reminder step. */
  step: number;
  /** 'payment': the buyer's payment did not go through; its own built-in wording. Default 'cart'. */
  kind?: 'cart' | 'payment';
  organizer: { name: string; accentColor: string; supportEmail: string | null; supportPhone: string | null };
  event: { title: string; venue: string; timeZone: string; currency: string };
  /** ISO UTC; shown in the event's time zone. */
  performance: { startsAt: string };
  buyerName: string | null;
  /** Money in minor units. */
  items: { name: string; quantity: number; lineTotal: number }[];
  total: number;
  /** Whether the seats are still held for the buyer right now. */
  hold: 'held' | 'released';
  resumeUrl: string;
  unsubscribeUrl: string;
  /** label e.g. "10%" or "300 ₽". */
  discount: { code: string; label: string; expiresAt: string } | null;
  /** The organizer's wording for this step and locale; empty means the built-in one. */
  custom: { subject?: string; body?: string };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** Shown as From (at MAIL_FROM's address) and Reply-To: see sender.ts. */
  sender: Sender;
  /** One-click unsubscribe (RFC 8058), to the same link as the footer's. */
  headers: Record<string, string>;
}

const FALLBACK_ACCENT = '#8b1e3f';

function formatDate(iso: string, intl: string, timeZone: string, withTime: boolean): string {
  const options: Intl.DateTimeFormatOptions = withTime
    ? { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'long', year: 'numeric' };
  try {
    return new Intl.DateTimeFormat(intl, { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(intl, { ...options, timeZone: 'UTC' }).format(new Date(iso));
  }
}

/** Organizer wording is validated when saved; anything older that slipped through falls back to ours. */
const usable = (text: string | undefined): text is string => !!text?.trim() && validateTemplate(text).ok;

/** Subject lines are one line of plain text. */
const oneLine = (s: string) =>
  s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();

export function renderReminderEmail(input: ReminderEmailInput): RenderedEmail {
  const t = MAIL_STRINGS[input.locale] ?? MAIL_STRINGS.en;
  const wording = input.kind === 'payment' ? t.payment : t.steps[Math.min(Math.max(input.step, 0), t.steps.length - 1)]!;
  const money = moneyFormatter(t.intl, input.event.currency);
  const values: TemplateValues = {
    name: input.buyerName?.trim() || t.nameFallback,
    event: input.event.title,
    date: formatDate(input.performance.startsAt, t.intl, input.event.timeZone, true),
    venue: input.event.venue,
    total: money(input.total),
    organizer: input.organizer.name,
    discount_code: input.discount?.code ?? '',
    discount: input.discount?.label ?? '',
  };

  const subject = oneLine(fillTemplate(usable(input.custom.subject) ? input.custom.subject : wording.subject, values));
  const body = usable(input.custom.body) ? input.custom.body : `${input.buyerName?.trim() ? t.greeting : t.greetingNoName}\n\n${wording.intro}`;
  const lines = input.items.map((i) => ({ label: `${i.quantity} × ${i.name}`, amount: money(i.lineTotal) }));
  const discount = input.discount ? t.discount(input.discount.label, formatDate(input.discount.expiresAt, t.intl, input.event.timeZone, false)) : null;
  const contacts = [input.organizer.supportEmail, input.organizer.supportPhone].filter((c): c is string => !!c);
  const accent = /^#[0-9a-f]{6}$/i.test(input.organizer.accentColor) ? input.organizer.accentColor : FALLBACK_ACCENT;

  const text = [
    fillTemplate(body, values).trim(),
    '',
    `${t.yourOrder}: ${input.event.title}, ${values.date}, ${input.event.venue}`,
    ...lines.map((l) => `  ${l.label} — ${l.amount}`),
    `  ${t.total}: ${values.total}`,
    '',
    input.hold === 'held' ? t.held : t.released,
    ...(discount ? ['', discount] : []),
    '',
    `${t.button}: ${input.resumeUrl}`,
    '',
    '—',
    input.organizer.name,
    ...(contacts.length ? [`${t.questions} ${contacts.join(' · ')}`] : []),
    t.whyThisEmail(input.organizer.name),
    `${t.unsubscribe}: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');

  const html = reminderHtml({
    lang: input.locale,
    subject,
    accent,
    body: (encode) => fillTemplate(body, values, encode),
    strings: t,
    organizer: input.organizer.name,
    heading: `${input.event.title} · ${values.date}`,
    venue: input.event.venue,
    lines,
    total: values.total,
    holdLine: input.hold === 'held' ? t.held : t.released,
    discount,
    resumeUrl: input.resumeUrl,
    unsubscribeUrl: input.unsubscribeUrl,
    contacts,
  });
  return {
    subject,
    html,
    text,
    sender: { name: input.organizer.name, replyTo: input.organizer.supportEmail },
    headers: { 'List-Unsubscribe': `<${input.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
