// The organizer's events, and a form for a new one; archived events listed on request.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConsoleEvent } from '../../server/contracts/console.ts';
import { get, post } from '../api.ts';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { events, loadEvents } from '../data.ts';
import { t } from '../i18n.ts';
import { link, navigate } from '../router.ts';
import { type EventDraft, EventFields } from './EventFields.tsx';

export function Events() {
  const failure = useSignal<string | null>(null);
  useEffect(() => {
    loadEvents().catch((e) => (failure.value = describeFailure(e)));
  }, []);
  const tx = t.value;
  const list = events.value;
  return (
    <Page title={tx.events.title}>
      {failure.value && <p class="message bad">{failure.value}</p>}
      {list === null ? (
        <Loading />
      ) : list.length === 0 ? (
        <p class="muted">{tx.events.none}</p>
      ) : (
        <ul class="list" data-testid="event-list">
          {list.map((e) => (
            <li key={e.id} class="list-row">
              <a {...link(`events/${e.id}`)} class="list-title">
                {e.title}
              </a>
              <span class="muted">
                {e.slug} · {e.venue || '—'} · {tx.events.performancesCount(e.performanceCount ?? 0)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ArchivedEvents />
      <NewEvent />
    </Page>
  );
}

function ArchivedEvents() {
  const tx = t.value;
  const list = useSignal<ConsoleEvent[] | null>(null);
  const failure = useSignal<string | null>(null);
  const shown = list.value !== null;
  const toggle = () => {
    if (shown) list.value = null;
    else
      get<{ events: ConsoleEvent[] }>('/events?archived=only')
        .then((r) => (list.value = r.events))
        .catch((e) => (failure.value = describeFailure(e)));
  };
  return (
    <section class="archived-events">
      <button type="button" class="link-button" aria-expanded={shown} data-testid="events-show-archived" onClick={toggle}>
        {shown ? tx.events.hideArchived : tx.events.showArchived}
      </button>
      {failure.value && <p class="message bad">{failure.value}</p>}
      {list.value &&
        (list.value.length === 0 ? (
          <p class="muted">{tx.events.noArchived}</p>
        ) : (
          <ul class="list" data-testid="archived-event-list">
            {list.value.map((e) => (
              <li key={e.id} class="list-row archived">
                <a {...link(`events/${e.id}`)} class="list-title">
                  {e.title}
                </a>
                <span class="muted">
                  {e.slug} · <span class="badge">{tx.event.archived}</span>
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

function NewEvent() {
  const tx = t.value;
  const form = useForm();
  const draft = useSignal<EventDraft>({
    slug: '',
    title: '',
    venue: '',
    description: '',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    currency: 'RUB',
    translations: {},
  });
  const set = (key: keyof EventDraft) => (v: string) => (draft.value = { ...draft.value, [key]: v });
  const setTranslations = (translations: EventDraft['translations']) => (draft.value = { ...draft.value, translations });
  const d = draft.value;
  return (
    <Card title={tx.events.create} testId="new-event">
      <form
        noValidate
        class="grid"
        onSubmit={(e) => {
          e.preventDefault();
          let created: ConsoleEvent | null = null;
          void form
            .run(async () => {
              created = await post<ConsoleEvent>('/events', d);
            })
            .then((ok) => {
              if (ok && created) {
                void loadEvents();
                navigate(`events/${created.id}`);
              }
            });
        }}
      >
        <EventFields draft={d} set={set} setTranslations={setTranslations} form={form} />
        <div class="actions">
          <FormMessage form={form} />
          <Submit form={form} label={tx.events.createButton} testId="event-create" />
        </div>
      </form>
    </Card>
  );
}
