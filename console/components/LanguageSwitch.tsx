import { LOCALE_NAMES, LOCALES, locale, pickLocale, t } from '../i18n.ts';

export function LanguageSwitch() {
  return (
    <fieldset class="lang" aria-label={t.value.language}>
      {LOCALES.map((l) => (
        <button type="button" key={l} lang={l} aria-pressed={locale.value === l} onClick={() => pickLocale(l)} data-testid={`lang-${l}`}>
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </fieldset>
  );
}
