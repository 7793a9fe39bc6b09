// An event's fields, for the new-event form and the event's own: time zone and currency are
// picked from searchable lists (typing "Москва", "new york" or "рубль" finds them); title, venue
// and description may also be given in the organizer's other language.
import { currencyChoices, currencyLabel, timeZoneChoices, timeZoneLabel } from '../choices.ts';
import { ComboField } from '../components/ComboField.tsx';
import { TextField } from '../components/Field.tsx';
import type { Form } from '../components/form.ts';
import { intl, t } from '../i18n.ts';
import { Translated, type TranslationsDraft, useOtherLocales } from './Translated.tsx';

export interface EventDraft {
  slug: string;
  title: string;
  venue: string;
  description: string;
  timeZone: string;
  currency: string;
  translations: TranslationsDraft<'title' | 'venue' | 'description'>;
}

export function EventFields({
  draft,
  set,
  setTranslations,
  form,
}: {
  draft: EventDraft;
  set: (key: Exclude<keyof EventDraft, 'translations'>) => (v: string) => void;
  setTranslations: (value: EventDraft['translations']) => void;
  form: Form;
}) {
  const tx = t.value;
  const lang = intl.value;
  const locales = useOtherLocales(draft.translations);
  const translated = { locales, value: draft.translations, onInput: setTranslations, form };
  return (
    <>
      <TextField label={tx.events.titleField} required value={draft.title} onInput={set('title')} error={form.error('title')} testId="event-title" />
      <Translated field="title" hint testId="event-title" {...translated} />
      <TextField
        label={tx.events.slug}
        hint={tx.events.slugHint}
        required
        value={draft.slug}
        onInput={set('slug')}
        error={form.error('slug')}
        testId="event-slug"
      />
      <TextField label={tx.events.venue} value={draft.venue} onInput={set('venue')} error={form.error('venue')} testId="event-venue" />
      <Translated field="venue" testId="event-venue" {...translated} />
      <ComboField
        label={tx.events.timeZone}
        hint={tx.events.pickHint}
        required
        value={draft.timeZone}
        onInput={set('timeZone')}
        choices={() => timeZoneChoices(lang)}
        describe={(zone) => timeZoneLabel(zone, lang)}
        error={form.error('timeZone')}
        testId="event-tz"
      />
      <ComboField
        label={tx.events.currency}
        hint={tx.events.pickHint}
        required
        value={draft.currency}
        onInput={set('currency')}
        choices={() => currencyChoices(lang)}
        describe={(code) => currencyLabel(code, lang)}
        error={form.error('currency')}
        testId="event-currency"
      />
      <TextField label={tx.events.description} multiline value={draft.description} onInput={set('description')} error={form.error('description')} />
      <Translated field="description" testId="event-description" {...translated} />
    </>
  );
}
