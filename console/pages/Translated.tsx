// Names in the organizer's other language: beside a field in their default language (the widget
// setting), one optional field per other language. What is left empty shows visitors in that
// language the default language's text; the API stores the rest per locale (`translations`).
import { useEffect } from 'preact/hooks';
import type { Locale } from '../../server/contracts/widget.ts';
import { TextField } from '../components/Field.tsx';
import type { Form } from '../components/form.ts';
import { loadSettings, settings } from '../data.ts';
import { LOCALES, t } from '../i18n.ts';

type TextKind = 'title' | 'venue' | 'description' | 'name';
export type TranslationsDraft<F extends TextKind> = Partial<Record<Locale, Partial<Record<F, string>>>>;

/**
 * The languages to offer: all but the organizer's default, and any whose texts are stored (after
 * a change of default they still show, so nothing visitors see is hidden). None until the
 * settings have loaded; a failure to load them is the page's own requests' to report.
 */
export function useOtherLocales(stored: TranslationsDraft<TextKind>): Locale[] {
  useEffect(() => {
    if (!settings.value) loadSettings().catch(() => {});
  }, []);
  const base = settings.value?.widget.defaultLocale;
  return base ? LOCALES.filter((l) => l !== base || stored[l] !== undefined) : [];
}

/** `field` in each of `locales`; `hint` explains the fallback on the first of a form's fields. */
export function Translated<F extends TextKind>(p: {
  field: F;
  locales: Locale[];
  value: TranslationsDraft<F>;
  onInput: (value: TranslationsDraft<F>) => void;
  form: Form;
  testId: string;
  hint?: boolean;
}) {
  const tx = t.value.translations;
  return (
    <>
      {p.locales.map((l) => (
        <TextField
          key={l}
          label={tx[p.field](tx.language[l])}
          hint={p.hint ? tx.hint(tx.language[l]) : undefined}
          multiline={p.field === 'description'}
          value={p.value[l]?.[p.field] ?? ''}
          onInput={(v) => p.onInput({ ...p.value, [l]: { ...p.value[l], [p.field]: v } })}
          error={p.form.error(`translations.${l}.${p.field}`)}
          testId={`${p.testId}-${l}`}
        />
      ))}
    </>
  );
}
