// Money and dates through Intl, in the visitor's language and the event's currency and zone.
// Formatters are made once per locale and options and kept: making one costs far more than using it.
import type { Locale } from '../server/contracts/widget.ts';

const made = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function intl<T extends Intl.NumberFormat | Intl.DateTimeFormat>(Format: new (locale: string, options: object) => T, locale: string, options: object): T {
  const key = Format.name + locale + JSON.stringify(options);
  let format = made.get(key) as T | undefined;
  if (!format) {
    format = new Format(locale, options);
    made.set(key, format);
  }
  return format;
}

/** Minor units to a display string, using the currency's own number of fraction digits. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const digits = intl(Intl.NumberFormat, locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const amount = minor / 10 ** digits;
  // Whole amounts read better without ",00" (1 500 ₽); fractional ones keep their digits.
  const shown = Number.isInteger(amount) ? 0 : digits;
  return intl(Intl.NumberFormat, locale, { style: 'currency', currency, minimumFractionDigits: shown, maximumFractionDigits: shown }).format(amount);
}

/** The visitor's own time zone. */
const here = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A performance's time in the venue's zone, naming the zone (MSK, GMT+3) when the visitor's is another. */
export function formatDateTime(iso: string, timeZone: string, locale: Locale): string {
  return intl(Intl.DateTimeFormat, locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: timeZone === here ? undefined : 'short',
  }).format(new Date(iso));
}

/** A moment as the visitor's clock shows it (hours and minutes). */
export const formatTime = (ms: number, locale: Locale) => intl(Intl.DateTimeFormat, locale, { hour: '2-digit', minute: '2-digit' }).format(ms);

/** Whole seconds as mm:ss; a hold lasts at most an hour, so minutes never need more. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}
