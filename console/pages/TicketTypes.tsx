// An event's ticket types: edit in place, add one, archive or delete (archived ones listed on
// request). Prices are typed in the currency's units; the name may also be given in the
// organizer's other language.
import { useSignal } from '@preact/signals';
import type { ConsoleEventDetail, ConsoleTicketType } from '../../server/contracts/console.ts';
import { del, patch, post } from '../api.ts';
import { TextField } from '../components/Field.tsx';
import { useForm } from '../components/form.ts';
import { Card, FormMessage, Submit } from '../components/ui.tsx';
import { count, money, toMajor, toMinor } from '../format.ts';
import { t } from '../i18n.ts';
import { ArchivedToggle, RetireActions } from './Retire.tsx';
import { Translated, type TranslationsDraft, useOtherLocales } from './Translated.tsx';

export function TicketTypes({ detail, reload }: { detail: ConsoleEventDetail; reload: () => void }) {
  const tx = t.value;
  const showArchived = useSignal(false);
  const archived = detail.ticketTypes.filter((tt) => tt.archivedAt !== null).length;
  const listed = detail.ticketTypes.filter((tt) => showArchived.value || tt.archivedAt === null);
  return (
    <Card title={tx.event.ticketTypes} testId="ticket-types">
      {listed.length === 0 ? (
        <p class="muted">{tx.event.noTicketTypes}</p>
      ) : (
        <ul class="list">
          {listed.map((tt) => (
            <TicketTypeRow key={tt.id} tt={tt} currency={detail.event.currency} reload={reload} />
          ))}
        </ul>
      )}
      <ArchivedToggle count={archived} shown={showArchived.value} toggle={() => (showArchived.value = !showArchived.value)} testId="tt-show-archived" />
      <h3>{tx.event.addTicketType}</h3>
      <TicketTypeForm
        currency={detail.event.currency}
        submitLabel={tx.event.addTicketType}
        testId="tt-add"
        send={(body) => post(`/events/${detail.event.id}/ticket-types`, body)}
        done={reload}
      />
    </Card>
  );
}

function TicketTypeRow({ tt, currency, reload }: { tt: ConsoleEventDetail['ticketTypes'][number]; currency: string; reload: () => void }) {
  const tx = t.value;
  const editing = useSignal(false);
  const form = useForm();
  return (
    <li class={`list-row${tt.archivedAt ? ' archived' : ''}`} data-testid="tt-row" data-id={tt.id}>
      <div class="row-main">
        <strong>{tt.name}</strong> {tt.archivedAt && <span class="badge">{tx.event.archived}</span>} · {money(tt.price, currency)} · {tx.event.capacity}:{' '}
        {count(tt.capacity)} · {tt.minPerOrder}–{tt.maxPerOrder}
      </div>
      <div class="row-actions">
        {tt.archivedAt === null && (
          <button type="button" class="secondary" aria-expanded={editing.value} onClick={() => (editing.value = !editing.value)}>
            {tx.edit}
          </button>
        )}
        <RetireActions
          form={form}
          archived={tt.archivedAt !== null}
          hasSales={tt.hasSales}
          archive={(archived) => patch(`/ticket-types/${tt.id}`, { archived })}
          remove={() => del(`/ticket-types/${tt.id}`)}
          confirmDelete={tx.event.confirmDeleteTicketType(tt.name)}
          done={reload}
          testId="tt"
        />
      </div>
      <FormMessage form={form} />
      {editing.value && (
        <TicketTypeForm
          currency={currency}
          initial={tt}
          submitLabel={tx.save}
          send={(body) => patch(`/ticket-types/${tt.id}`, body)}
          done={() => {
            editing.value = false;
            reload();
          }}
        />
      )}
    </li>
  );
}

const blank = (v: string) => v.trim() === '';
const number = (v: string) => (blank(v) ? NaN : Number(v));

function TicketTypeForm(p: {
  currency: string;
  initial?: ConsoleTicketType;
  submitLabel: string;
  testId?: string;
  send: (body: Omit<ConsoleTicketType, 'id' | 'archivedAt'>) => Promise<unknown>;
  done: () => void;
}) {
  const tx = t.value;
  const form = useForm();
  const empty = { name: '', price: '', capacity: '', minPerOrder: '1', maxPerOrder: '10', translations: {} as TranslationsDraft<'name'> };
  const init = p.initial
    ? {
        name: p.initial.name,
        price: toMajor(p.initial.price, p.currency),
        capacity: String(p.initial.capacity),
        minPerOrder: String(p.initial.minPerOrder),
        maxPerOrder: String(p.initial.maxPerOrder),
        translations: p.initial.translations,
      }
    : empty;
  const draft = useSignal(init);
  const set = (key: Exclude<keyof typeof init, 'translations'>) => (v: string) => (draft.value = { ...draft.value, [key]: v });
  const d = draft.value;
  const locales = useOtherLocales(d.translations);
  return (
    <form
      noValidate
      class="grid compact"
      data-testid={p.testId}
      onSubmit={(e) => {
        e.preventDefault();
        void form
          .run(() =>
            p.send({
              name: d.name,
              translations: d.translations,
              // A blank number goes as null, so the API names the field instead of reading 0.
              price: blank(d.price) ? NaN : toMinor(d.price, p.currency),
              capacity: number(d.capacity),
              minPerOrder: number(d.minPerOrder),
              maxPerOrder: number(d.maxPerOrder),
            }),
          )
          .then((ok) => {
            if (!ok) return;
            if (!p.initial) draft.value = empty;
            p.done();
          });
      }}
    >
      <TextField label={tx.event.name} required value={d.name} onInput={set('name')} error={form.error('name')} testId="tt-name" />
      <Translated
        field="name"
        hint
        locales={locales}
        value={d.translations}
        onInput={(translations) => (draft.value = { ...draft.value, translations })}
        form={form}
        testId="tt-name"
      />
      <TextField
        label={tx.event.price(p.currency)}
        type="number"
        min={0}
        step="any"
        required
        value={d.price}
        onInput={set('price')}
        error={form.error('price')}
        testId="tt-price"
      />
      <TextField
        label={tx.event.capacity}
        type="number"
        min={0}
        required
        value={d.capacity}
        onInput={set('capacity')}
        error={form.error('capacity')}
        testId="tt-capacity"
      />
      <TextField label={tx.event.minPerOrder} type="number" min={1} value={d.minPerOrder} onInput={set('minPerOrder')} error={form.error('minPerOrder')} />
      <TextField label={tx.event.maxPerOrder} type="number" min={1} value={d.maxPerOrder} onInput={set('maxPerOrder')} error={form.error('maxPerOrder')} />
      <div class="actions">
        <FormMessage form={form} />
        <Submit form={form} label={p.submitLabel} testId={p.testId && `${p.testId}-submit`} />
      </div>
    </form>
  );
}
