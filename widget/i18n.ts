// The widget's words arrive with the event, in the visitor's locale (bootstrap `texts`, from
// server/contracts/widget-texts.ts), so the bundle carries no language tables. Organizer overrides
// (buttonTexts, consentText) are applied by the widget model on top of them.
import type { Locale, WidgetTexts } from '../server/contracts/widget.ts';

export type Strings = WidgetTexts;

/**
 * What the widget must say before the event has loaded, or when it cannot load: the title and
 * button label, "loading", the modal's close button, and the kind message with its retry.
 */
const BEFORE_LOAD: Record<Locale, Partial<Strings>> = {
  en: {
    open: 'Buy tickets',
    loading: 'Loading…',
    close: 'Close',
    retry: 'Try again',
    help: 'Need help?',
    'errors.NETWORK': 'We could not reach the ticket service. Check your connection and try again.',
    'errors.SERVER': 'The ticket service is having trouble. Please try again in a minute.',
    'errors.NOT_FOUND': 'Event not found.',
    'errors.other': 'Something went wrong. Please try again.',
  },
  ru: {
    open: 'Купить билеты',
    loading: 'Загрузка…',
    close: 'Закрыть',
    retry: 'Повторить',
    help: 'Нужна помощь?',
    'errors.NETWORK': 'Не удалось связаться с билетной системой. Проверьте подключение к интернету и попробуйте ещё раз.',
    'errors.SERVER': 'В билетной системе сбой. Попробуйте ещё раз через минуту.',
    'errors.NOT_FOUND': 'Событие не найдено.',
    'errors.other': 'Что-то пошло не так. Попробуйте ещё раз.',
  },
};

/** Only the keys above are read until the event arrives (App renders nothing else before it). */
export const beforeLoad = (locale: Locale) => BEFORE_LOAD[locale] as Strings;

/** A text with its `{name}` placeholders filled in. */
export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));

const pick = (value: string | null | undefined): Locale | null => {
  const prefix = value?.slice(0, 2).toLowerCase();
  return prefix === 'ru' || prefix === 'en' ? prefix : null;
};

/**
 * data-encore-locale, then the page's <html lang>, then the browser. Null means "ask the
 * organizer's defaultLocale", known only once the event has loaded.
 */
export function detectLocale(explicit?: string | null): Locale | null {
  return pick(explicit) ?? pick(document.documentElement.lang) ?? pick(navigator.language);
}
