// Money, dates and times for the console: amounts in the event's currency (the API speaks minor
// units), wall-clock times in the event's time zone, labels in the console's language.
import { intl } from './i18n.ts';

export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export const toMinor = (major: string, currency: string) => Math.round(Number(major.replace(',', '.')) * 10 ** currencyDigits(currency));
export const toMajor = (minor: number, currency: string) => String(minor / 10 ** currencyDigits(currency));

export function money(minor: number | null, currency: string | null): string {
  if (minor === null) return '—';
  if (!currency) return String(minor);
  return new Intl.NumberFormat(intl.value, { style: 'currency', currency }).format(minor / 10 ** currencyDigits(currency));
}

export const count = (n: number | null) => (n === null ? '—' : new Intl.NumberFormat(intl.value).format(n));
export const percent = (x: number) => new Intl.NumberFormat(intl.value, { style: 'percent', maximumFractionDigits: 1 }).format(x);

export function dateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(intl.value, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** Milliseconds to add to UTC to get the wall clock in `timeZone` at `at`. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - Math.floor(at / 1000) * 1000;
}

/** "2026-12-05T19:00" (a datetime-local value) in `timeZone` → ISO UTC. */
export function zonedToIso(local: string, timeZone: string): string {
  const [d, tm] = local.split('T');
  const [y, mo, da] = d!.split('-').map(Number);
  const [h, mi] = tm!.split(':').map(Number);
  const wall = Date.UTC(y!, mo! - 1, da!, h!, mi!);
  let utc = wall - zoneOffset(wall, timeZone);
  utc = wall - zoneOffset(utc, timeZone); // once more, for the hour around a DST change
  return new Date(utc).toISOString();
}

/** ISO UTC → a datetime-local value in `timeZone`. */
export function isoToZoned(iso: string, timeZone: string): string {
  const at = Date.parse(iso);
  return new Date(at + zoneOffset(at, timeZone)).toISOString().slice(0, 16);
}

/** 90 → "1 h 30 min" / "1 ч 30 мин". */
export function duration(minutes: number, ru: boolean): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const u = ru ? { d: 'д', h: 'ч', m: 'мин' } : { d: 'd', h: 'h', m: 'min' };
  return [d && `${d} ${u.d}`, h && `${h} ${u.h}`, m && `${m} ${u.m}`].filter(Boolean).join(' ') || `0 ${u.m}`;
}
