// Promo codes: the organizer makes a code (percent or amount; for all events, one event or one
// performance; a use limit; dates), sees how often each was used, and switches one off. Buyers
// type codes in the widget; the server prices them. What a code takes off never changes once
// made: switch it off and make another.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConsoleEventDetail, ConsolePromoCode } from '../../server/contracts/console.ts';
import { get, patch, post } from '../api.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { events, loadEvents } from '../data.ts';
import { dateTime, money, toMinor } from '../format.ts';
import { t } from '../i18n.ts';

const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** A datetime-local value (the organizer's own clock) as an ISO instant; empty: none. */
const instant = (local: string) => (local ? new Date(local).toISOString() : null);

export function PromoCodes() {
  const list = useSignal<ConsolePromoCode[] | null>(null);
  const failure = useSignal<string | null>(null);
  const reload = () =>
    get<{ promoCodes: ConsolePromoCode[] }>('/promo-codes?limit=500')
      .then((r) => (list.value = r.promoCodes))
      .catch((e) => (failure.value = describeFailure(e)));
  useEffect(() => {
    void reload();
    if (!events.value) void loadEvents().catch((e) => (failure.value = describeFailure(e)));
  }, []);
  const tx = t.value.promo;
  return (
    <Page title={tx.title} intro={tx.intro}>
      {failure.value && <p class="message bad">{failure.value}</p>}
      <NewCode reload={reload} />
      {list.value === null ? <Loading /> : list.value.length === 0 ? <p class="muted">{tx.none}</p> : <CodeTable rows={list.value} reload={reload} />}
    </Page>
  );
}

function CodeTable({ rows, reload }: { rows: ConsolePromoCode[]; reload: () => void }) {
  const tx = t.value.promo;
  const form = useForm();
  const now = new Date().toISOString();
  const eventTitle = (id: string | null) => (id ? (events.value?.find((e) => e.id === id)?.title ?? '—') : tx.allEvents);
  const state = (c: ConsolePromoCode) =>
    !c.active
      ? tx.off
      : c.expiresAt && c.expiresAt <= now
        ? tx.ended
        : c.startsAt && c.startsAt > now
          ? tx.notYet
          : c.maxUses !== null && c.usedCount >= c.maxUses
            ? tx.usedUp
            : tx.active;
  return (
    <Card title={tx.codes}>
      <FormMessage form={form} />
      <div class="table-wrap">
        <table data-testid="promo-codes">
          <thead>
            <tr>
              <th scope="col">{tx.code}</th>
              <th scope="col">{tx.discount}</th>
              <th scope="col">{tx.appliesTo}</th>
              <th scope="col">{tx.used}</th>
              <th scope="col">{tx.valid}</th>
              <th scope="col">{tx.status}</th>
              <th scope="col">{tx.actions}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-testid="promo-code">
                <td>
                  <code>{c.code}</code>
                  {c.note && <div class="muted small">{c.note}</div>}
                </td>
                <td>{c.kind === 'percent' ? `${c.value}%` : money(c.value, c.currency)}</td>
                <td>
                  {eventTitle(c.eventId)}
                  {c.performanceId && <div class="muted small">{tx.onePerformance}</div>}
                </td>
                <td>{c.maxUses === null ? c.usedCount : `${c.usedCount} / ${c.maxUses}`}</td>
                <td class="small">
                  {c.startsAt || c.expiresAt
                    ? `${c.startsAt ? dateTime(c.startsAt, localZone) : '…'} — ${c.expiresAt ? dateTime(c.expiresAt, localZone) : '…'}`
                    : tx.always}
                </td>
                <td>
                  <span class={`badge ${state(c) === tx.active ? 'good' : ''}`}>{state(c)}</span>
                </td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`${c.active ? tx.turnOff : tx.turnOn} ${c.code}`}
                    onClick={() => void form.run(() => patch(`/promo-codes/${c.id}`, { active: !c.active })).then((ok) => ok && reload())}
                  >
                    {c.active ? tx.turnOff : tx.turnOn}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function NewCode({ reload }: { reload: () => void }) {
  const tx = t.value.promo;
  const form = useForm();
  const code = useSignal('');
  const kind = useSignal<'percent' | 'amount'>('percent');
  const value = useSignal('10');
  const eventId = useSignal('');
  const performanceId = useSignal('');
  const performances = useSignal<ConsoleEventDetail['performances']>([]);
  const maxUses = useSignal('');
  const startsAt = useSignal('');
  const expiresAt = useSignal('');
  const note = useSignal('');
  const made = useSignal<string | null>(null);
  const list = (events.value ?? []).filter((e) => !e.archivedAt);
  const event = list.find((e) => e.id === eventId.value);
  // An amount is typed in the event's currency (for all events: the organizer's, as the server decides).
  const currency = event?.currency ?? list[0]?.currency ?? 'RUB';

  async function chooseEvent(id: string) {
    eventId.value = id;
    performanceId.value = '';
    performances.value = id ? (await get<ConsoleEventDetail>(`/events/${id}`)).performances.filter((p) => !p.archivedAt) : [];
  }

  return (
    <Card title={tx.create}>
      <form
        noValidate
        class="grid"
        onSubmit={(ev) => {
          ev.preventDefault();
          made.value = null;
          void form
            .run(async () => {
              const r = await post<ConsolePromoCode>('/promo-codes', {
                code: code.value.trim() || undefined,
                kind: kind.value,
                value: kind.value === 'percent' ? Number(value.value) : toMinor(value.value, currency),
                eventId: eventId.value || null,
                performanceId: performanceId.value || null,
                maxUses: maxUses.value ? Number(maxUses.value) : null,
                startsAt: instant(startsAt.value),
                expiresAt: instant(expiresAt.value),
                note: note.value.trim() || null,
              });
              made.value = r.code;
              code.value = '';
              note.value = '';
            })
            .then((ok) => ok && reload());
        }}
      >
        <TextField
          label={tx.code}
          hint={tx.codeHint}
          value={code.value}
          onInput={(v) => (code.value = v)}
          error={form.error('code')}
          testId="promo-code-input"
        />
        <SelectField
          label={tx.kind}
          value={kind.value}
          onChange={(v) => (kind.value = v)}
          options={[
            { value: 'percent', label: tx.percent },
            { value: 'amount', label: tx.amount(currency) },
          ]}
          testId="promo-kind"
        />
        <TextField
          label={kind.value === 'percent' ? tx.percentValue : tx.amountValue(currency)}
          type="number"
          min={1}
          max={kind.value === 'percent' ? 100 : undefined}
          required
          value={value.value}
          onInput={(v) => (value.value = v)}
          error={form.error('value') ?? form.error('currency')}
          testId="promo-value"
        />
        <SelectField
          label={tx.appliesTo}
          value={eventId.value}
          onChange={(v) => void chooseEvent(v).catch((e) => (form.general.value = describeFailure(e)))}
          options={[{ value: '', label: tx.allEvents }, ...list.map((e) => ({ value: e.id, label: e.title }))]}
          error={form.error('eventId')}
          testId="promo-event"
        />
        {event && (
          <SelectField
            label={tx.performance}
            value={performanceId.value}
            onChange={(v) => (performanceId.value = v)}
            options={[
              { value: '', label: tx.allPerformances },
              ...performances.value.map((p) => ({ value: p.id, label: dateTime(p.startsAt, event.timeZone) })),
            ]}
            error={form.error('performanceId')}
          />
        )}
        <TextField
          label={tx.maxUses}
          hint={tx.maxUsesHint}
          type="number"
          min={1}
          value={maxUses.value}
          onInput={(v) => (maxUses.value = v)}
          error={form.error('maxUses')}
        />
        <TextField label={tx.startsAt} type="datetime-local" value={startsAt.value} onInput={(v) => (startsAt.value = v)} error={form.error('startsAt')} />
        <TextField label={tx.expiresAt} type="datetime-local" value={expiresAt.value} onInput={(v) => (expiresAt.value = v)} error={form.error('expiresAt')} />
        <TextField label={tx.note} hint={tx.noteHint} value={note.value} onInput={(v) => (note.value = v)} error={form.error('note')} />
        <div class="actions">
          <FormMessage form={form} />
          <Submit form={form} label={tx.create} testId="promo-create" />
        </div>
      </form>
      {made.value && (
        <p class="message good" role="status">
          {tx.made} <code data-testid="promo-made">{made.value}</code>
        </p>
      )}
    </Card>
  );
}
