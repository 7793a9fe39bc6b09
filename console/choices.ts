// The long lists the console picks from: IANA time zones and ISO 4217 currencies as this
// browser's ICU knows them (the server checks against ICU too), named in the console's
// language. A list is built the first time it is opened and kept per language.
import type { Choice } from './components/ComboField.tsx';

const zoneLists = new Map<string, Choice[]>();
const currencyLists = new Map<string, Choice[]>();

function zoneName(zone: string, lang: string, style: 'longGeneric' | 'shortOffset'): string | undefined {
  return new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: style }).formatToParts(Date.now()).find((part) => part.type === 'timeZoneName')?.value;
}

/** "Москва, стандартное время · GMT+3"; undefined for a name ICU does not know. */
export function timeZoneLabel(zone: string, lang: string): string | undefined {
  try {
    const offset = zoneName(zone, lang, 'shortOffset');
    const generic = zoneName(zone, lang, 'longGeneric');
    // Zones without a name of their own (UTC, Etc/GMT+5) are named by their offset alone.
    return generic && !generic.startsWith('GMT') ? `${generic} · ${offset}` : offset;
  } catch {
    return undefined;
  }
}

export function timeZoneChoices(lang: string): Choice[] {
  let list = zoneLists.get(lang);
  if (!list) {
    // ICU lists UTC among its aliases, not its zones; it is still the one many pick.
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
    list = zones.map((value) => ({ value, label: timeZoneLabel(value, lang) ?? '' }));
    zoneLists.set(lang, list);
  }
  return list;
}

/** "российский рубль"; undefined for a code that is not a currency. */
export function currencyLabel(code: string, lang: string): string | undefined {
  try {
    const name = new Intl.DisplayNames(lang, { type: 'currency' }).of(code.trim().toUpperCase());
    return name && name.toUpperCase() !== code.trim().toUpperCase() ? name : undefined;
  } catch {
    return undefined;
  }
}

export function currencyChoices(lang: string): Choice[] {
  let list = currencyLists.get(lang);
  if (!list) {
    const names = new Intl.DisplayNames(lang, { type: 'currency' });
    list = Intl.supportedValuesOf('currency').map((value) => ({ value, label: names.of(value) ?? value }));
    currencyLists.set(lang, list);
  }
  return list;
}
