// What the widget tells a buyer about reminders, and what the cart records as shown: the same
// text, so the record is exactly what was on screen. The built-in wording counts the reminder
// steps the organizer has enabled (plural forms from Intl.PluralRules); an organizer's own wording
// wins. With no step enabled nothing is sent, so nothing is asked or announced (null).
import type { Locale, WidgetSettings } from '../contracts/widget.ts';
import type { RecoverySettings } from '../contracts/recovery-settings.ts';

type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const plural = (locale: Locale, n: number, forms: Forms) => `${n} ${forms[new Intl.PluralRules(locale).select(n)] ?? forms.other}`;

const BUILT_IN: Record<Locale, Record<WidgetSettings['consentMode'], (n: number) => string>> = {
  en: {
    'opt-in': (n) => `Remind me by email if I do not finish buying (at most ${plural('en', n, { one: 'email', other: 'emails' })})`,
    notice: (n) => `If you do not finish buying, we may send ${plural('en', n, { one: 'reminder', other: 'reminders' })} to this address.`,
  },
  ru: {
    // «не больше» takes the genitive: 1 письма, 2–4 и 5+ писем.
    'opt-in': (n) => `Напомнить мне письмом, если я не завершу покупку (не больше ${plural('ru', n, { one: 'письма', other: 'писем' })})`,
    notice: (n) =>
      `Если вы не завершите покупку, мы можем прислать на этот адрес ${plural('ru', n, { one: 'напоминание', few: 'напоминания', other: 'напоминаний' })}.`,
  },
};

/** The reminder steps that will be sent: the number the built-in wording states. */
export const enabledSteps = (recovery: RecoverySettings) => recovery.steps.filter((s) => s.enabled).length;

export function consentTextFor(settings: WidgetSettings, recovery: RecoverySettings, locale: Locale): string | null {
  const steps = enabledSteps(recovery);
  if (steps === 0) return null;
  return settings.consentText[locale]?.trim() || BUILT_IN[locale][settings.consentMode](steps);
}

/** The settings as the widget gets them: consentText holds, per locale, the text to show (absent: none). */
export function withConsentTexts(settings: WidgetSettings, recovery: RecoverySettings): WidgetSettings {
  const consentText: WidgetSettings['consentText'] = {};
  for (const locale of ['ru', 'en'] as const) {
    const text = consentTextFor(settings, recovery, locale);
    if (text) consentText[locale] = text;
  }
  return { ...settings, consentText };
}
