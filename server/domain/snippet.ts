// The HTML an organizer pastes into their site: the queueing stub, the script tag and the element
// (the same as README's Embedding section).
import { findOwnEventBySlug } from '../db/console-catalogue.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from './errors.ts';
import { readSettings } from './console-settings.ts';

const STUB = `<script>
  !function(w){var E=w.Encore=w.Encore||{q:[]};["open","close","mount"].forEach(function(m){
  E[m]=E[m]||function(){E.q.push([m,[].slice.call(arguments)])}})}(window);
</script>`;

const BUTTON_TEXT = { ru: 'Купить билеты', en: 'Buy tickets' } as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function embedSnippet(db: Db, organizerId: string, slug: string, publicBaseUrl: string) {
  const event = await findOwnEventBySlug(db, organizerId, slug);
  if (!event) throw new DomainError('NOT_FOUND', 'No such event', 'event');
  const { widget } = await readSettings(db, organizerId);
  const head = `${STUB}\n<script src="${escapeHtml(`${publicBaseUrl}/widget.js`)}" async></script>\n`;
  const attr = escapeHtml(event.slug);
  const label = escapeHtml(widget.buttonTexts[widget.defaultLocale]?.open || BUTTON_TEXT[widget.defaultLocale]);
  return {
    inline: `${head}<div data-encore-event="${attr}"></div>\n`,
    button: `${head}<button data-encore-event="${attr}" data-encore-mode="button">${label}</button>\n`,
  };
}
