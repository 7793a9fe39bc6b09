// An event's fields, for the new-event form and the event's own: time zone and currency are
// picked from searchable lists (typing "Москва", "new york" or "рубль" finds them).
import { currencyChoices, currencyLabel, timeZoneChoices, timeZoneLabel } from '../choices.ts';
import { ComboField } from '../components/ComboField.tsx';
import { TextField } from '../components/Field.tsx';
import type { Form } from '../components/form.ts';
import { intl, t } from '../i18n.ts';

export interface EventDraft {
  slug: string;
  title: string;
  venue: string;
  description: string;
  timeZone: string;
  currency: string;
}

export function EventFields({ draft, set, form }: { draft: EventDraft; set: (key: keyof EventDraft) => (v: string) => void; form: Form }) {
  const tx = t.value;
  const lang = intl.value;
  return (
    <>
      <TextField label={tx.events.titleField} required value={draft.title} onInput={set('title')} error={form.error('title')} testId="event-title" />
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
    </>
  );
}
