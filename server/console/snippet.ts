// The HTML an organizer pastes into their site: the queueing stub, the script tag and the element
// (the same as README's Embedding section). The inline element holds words of the site's own —
// shown until the tickets load, and if they cannot (the ticket server down, a script blocked) —
// with the box office from the widget settings, also in data-encore-support-* for the widget's
// own message when it loads but cannot reach the event.
import type { Locale } from '../contracts/widget.ts';
import { findOwnEventBySlug } from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { readSettings } from './settings.ts';

const STUB = `<script>
  !function(w){var E=w.Encore=w.Encore||{q:[]};["open","close","mount"].forEach(function(m){
  E[m]=E[m]||function(){E.q.push([m,[].slice.call(arguments)])}})}(window);
</script>`;

const BUTTON_TEXT = { ru: 'Купить билеты', en: 'Buy tickets' } as const;

const FALLBACK: Record<Locale, { note: string; contact: (links: string) => string; none: string }> = {
  ru: {
    note: 'Видно, пока билеты загружаются, и если они не загрузятся: напишите здесь что угодно.',
    contact: (links) => `Если билеты не появились, купите их в кассе: ${links}.`,
    none: 'Если билеты не появились, обновите страницу чуть позже.',
  },
  en: {
    note: 'Shown while the tickets load, and if they cannot: put anything you like here.',
    contact: (links) => `If the tickets do not appear, buy them from the box office: ${links}.`,
    none: 'If the tickets do not appear, please reload the page a little later.',
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function embedSnippet(db: Db, organizerId: string, slug: string, publicBaseUrl: string) {
  const event = await findOwnEventBySlug(db, organizerId, slug);
  if (!event) throw new DomainError('NOT_FOUND', 'No such event', 'event');
  const { widget } = await readSettings(db, organizerId);
  const head = `${STUB}\n<script src="${escapeHtml(`${publicBaseUrl}/widget.js`)}" async></script>\n`;
  const attr = escapeHtml(event.slug);
  const label = escapeHtml(widget.buttonTexts[widget.defaultLocale]?.open || BUTTON_TEXT[widget.defaultLocale]);

  const { supportPhone: phone, supportEmail: email } = widget;
  const words = FALLBACK[widget.defaultLocale];
  const links = [
    phone && `<a href="tel:${escapeHtml(phone.replace(/[^+\d]/g, ''))}">${escapeHtml(phone)}</a>`,
    email && `<a href="mailto:${escapeHtml(email)}">${escapeHtml(email)}</a>`,
  ].filter(Boolean);
  const support = [phone && ` data-encore-support-phone="${escapeHtml(phone)}"`, email && ` data-encore-support-email="${escapeHtml(email)}"`]
    .filter(Boolean)
    .join('');
  const fallback = `  <!-- ${words.note} -->\n  <p>${links.length ? words.contact(links.join(', ')) : words.none}</p>\n`;
  return {
    inline: `${head}<div data-encore-event="${attr}"${support}>\n${fallback}</div>\n`,
    // The modal's message when the event cannot load names the box office too.
    button: `${head}<button data-encore-event="${attr}" data-encore-mode="button"${support}>${label}</button>\n`,
  };
}
