// Event and ticket type names per language. The base fields (an event's title, description and
// venue, a ticket type's name) are in the organizer's default language; `translations` holds
// what they gave for other languages (migration 0013). Whatever a visitor or buyer reads — the
// widget's bootstrap, cart and order views, a resumed cart, reminder emails and their preview —
// takes its names from `localized`, in the visitor's or the cart's locale.
import type { Locale } from '../contracts/widget.ts';

export const EVENT_TEXT_FIELDS = ['title', 'description', 'venue'] as const;
export const TICKET_TYPE_TEXT_FIELDS = ['name'] as const;
const TEXT_FIELDS = [...EVENT_TEXT_FIELDS, ...TICKET_TYPE_TEXT_FIELDS];
type TextField = (typeof TEXT_FIELDS)[number];

/** locale → field → text; only non-empty texts are stored. */
export type Translations<F extends string = TextField> = Partial<Record<Locale, Partial<Record<F, string>>>>;

export function parseTranslations<F extends string = TextField>(json: string): Translations<F> {
  return JSON.parse(json) as Translations<F>;
}

/**
 * The row with its text fields in `locale`, field by field: the organizer's text for that locale
 * where they gave one, else the row's own (the default locale's). An English title without an
 * English venue shows the English title and the default-language venue.
 */
export function localized<R extends { translations: string }>(row: R, locale: Locale): R {
  const own = parseTranslations(row.translations)[locale];
  if (!own) return row;
  const texts: Partial<Record<TextField, string>> = {};
  for (const field of TEXT_FIELDS) {
    const text = own[field];
    if (text && field in row) texts[field] = text;
  }
  return { ...row, ...texts };
}

/**
 * What is stored with `changes` over it, as JSON: each text sent replaces that field's, an empty
 * one removes it (the default language's text shows again), fields not sent stay.
 */
export function mergeTranslations<F extends string>(stored: string, changes: Translations<F> | undefined): string {
  const merged = parseTranslations<F>(stored);
  for (const [locale, fields] of Object.entries(changes ?? {}) as [Locale, Partial<Record<F, string>>][]) {
    const texts: Partial<Record<F, string>> = { ...merged[locale] };
    for (const [field, text] of Object.entries(fields) as [F, string | undefined][]) {
      if (text === undefined) continue;
      if (text === '') delete texts[field];
      else texts[field] = text;
    }
    if (Object.keys(texts).length > 0) merged[locale] = texts;
    else delete merged[locale];
  }
  return JSON.stringify(merged);
}
