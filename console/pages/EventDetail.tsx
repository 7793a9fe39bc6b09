// One event: its details, its performances (add, move, pause, duplicate) and its ticket types;
// archive, restore or delete it.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConsoleEvent, ConsoleEventDetail } from '../../server/contracts/console.ts';
import { del, get, patch } from '../api.ts';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { loadEvents } from '../data.ts';
import { t } from '../i18n.ts';
import { link, navigate, segments } from '../router.ts';
import { EventFields } from './EventFields.tsx';
import { Performances } from './Performances.tsx';
import { RetireActions } from './Retire.tsx';
import { TicketTypes } from './TicketTypes.tsx';

export function EventDetail({ id }: { id: string }) {
  const detail = useSignal<ConsoleEventDetail | null>(null);
  const failure = useSignal<string | null>(null);
  const reload = () =>
    get<ConsoleEventDetail>(`/events/${encodeURIComponent(id)}`)
      .then((d) => (detail.value = d))
      .catch((e) => (failure.value = describeFailure(e)));
  useEffect(() => void reload(), [id]);
  const retiring = useForm();
  const tx = t.value;
  const d = detail.value;
  if (failure.value) return <p class="message bad">{failure.value}</p>;
  if (!d) return <Loading />;
  const archived = d.event.archivedAt !== null;
  return (
    <Page
      title={d.event.title}
      actions={
        <div class="row-actions">
          <a {...link('events')} class="button secondary">
            {tx.back}
          </a>
          <RetireActions
            form={retiring}
            archived={archived}
            hasSales={d.event.hasSales}
            archive={(archived) => patch(`/events/${id}`, { archived })}
            remove={async () => {
              await del(`/events/${id}`);
              navigate('events');
            }}
            confirmDelete={tx.event.confirmDeleteEvent(d.event.title)}
            done={() => {
              void loadEvents();
              // After a delete the console has moved on to the list.
              if (segments.value[1] === id) void reload();
            }}
            testId="event"
          />
        </div>
      }
    >
      {archived && (
        <p class="message warn" data-testid="event-archived">
          {tx.event.archivedNotice}
        </p>
      )}
      <FormMessage form={retiring} />
      <EventForm event={d.event} onSaved={reload} />
      <Performances detail={d} reload={reload} />
      <TicketTypes detail={d} reload={reload} />
    </Page>
  );
}

function EventForm({ event, onSaved }: { event: ConsoleEvent; onSaved: () => void }) {
  const tx = t.value;
  const form = useForm();
  const draft = useSignal(event);
  const set = (key: keyof ConsoleEvent) => (v: string) => (draft.value = { ...draft.value, [key]: v });
  const setTranslations = (translations: ConsoleEvent['translations']) => (draft.value = { ...draft.value, translations });
  const d = draft.value;
  return (
    <Card title={tx.event.details}>
      <form
        noValidate
        class="grid"
        onSubmit={(e) => {
          e.preventDefault();
          const { slug, title, venue, description, timeZone, currency, translations } = d;
          void form
            .run(() => patch(`/events/${event.id}`, { slug, title, venue, description, timeZone, currency, translations }))
            .then((ok) => {
              if (!ok) return;
              onSaved();
              void loadEvents();
            });
        }}
      >
        <EventFields draft={d} set={set} setTranslations={setTranslations} form={form} />
        <div class="actions">
          <FormMessage form={form} ok={tx.saved} />
          <Submit form={form} label={tx.save} />
        </div>
      </form>
    </Card>
  );
}
