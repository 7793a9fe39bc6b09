// Money and dates through Intl, in the visitor's language and the event's currency and zone.
import type { Locale } from '../server/contracts.ts';

/** Minor units to a display string, using the currency's own number of fraction digits. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const digits = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const amount = minor / 10 ** digits;
  // Whole amounts read better without ",00" (1 500 ₽); fractional ones keep their digits.
  const shown = Number.isInteger(amount) ? 0 : digits;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: shown, maximumFractionDigits: shown }).format(amount);
}

export function formatDateTime(iso: string, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** Whole seconds as mm:ss; a hold lasts at most an hour, so minutes never need more. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}
