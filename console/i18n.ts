// The console's language: the signed-in person's setting, or the one they picked here (kept in
// localStorage), else the browser's. One table per locale in i18n/.
import { computed, signal } from '@preact/signals';
import type { Locale } from '../server/contracts/widget.ts';
import { en } from './i18n/en.ts';
import { ru } from './i18n/ru.ts';

const KEY = 'encore-console-locale';
const TABLES = { ru, en } as const;

const isLocale = (v: unknown): v is Locale => v === 'ru' || v === 'en';

function initial(): Locale {
  const picked = (() => {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  })();
  if (isLocale(picked)) return picked;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export const locale = signal<Locale>(initial());
export const t = computed(() => TABLES[locale.value]);
export const intl = computed(() => (locale.value === 'ru' ? 'ru-RU' : 'en-GB'));

/** The person's own setting applies unless they picked a language on this device. */
export function adoptUserLocale(userLocale: Locale | undefined) {
  let picked: string | null = null;
  try {
    picked = localStorage.getItem(KEY);
  } catch {
    // Private mode: nothing stored.
  }
  if (!isLocale(picked) && isLocale(userLocale)) locale.value = userLocale;
}

export function pickLocale(next: Locale) {
  locale.value = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Works for this visit only.
  }
}

export const LOCALES = ['ru', 'en'] as const;
export const LOCALE_NAMES: Record<Locale, string> = { ru: 'Русский', en: 'English' };
