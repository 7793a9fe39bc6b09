// An event's performances: status and seats at a glance, pause/resume, move, duplicate, add,
// archive or delete (archived ones listed on request).
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConsoleEventDetail } from '../../server/contracts/console.ts';
import { del, get, patch, post } from '../api.ts';
import { TextField } from '../components/Field.tsx';
import { useForm } from '../components/form.ts';
import { Card, FormMessage, Submit } from '../components/ui.tsx';
import { count, dateTime, isoToZoned, zonedToIso } from '../format.ts';
import { t } from '../i18n.ts';
import { link } from '../router.ts';
import { ArchivedToggle, RetireActions } from './Retire.tsx';

type Performance = ConsoleEventDetail['performances'][number];
/** Per performance: valid tickets and those checked in at the door (server/checkin/). */
type Attendance = Map<string, { valid: number; checkedIn: number }>;

export function Performances({ detail, reload }: { detail: ConsoleEventDetail; reload: () => void }) {
  const tx = t.value;
  const tz = detail.event.timeZone;
  const showArchived = useSignal(false);
  const archived = detail.performances.filter((p) => p.archivedAt !== null).length;
  const listed = detail.performances.filter((p) => showArchived.value || p.archivedAt === null);
  const attendance = useSignal<Attendance>(new Map());
  useEffect(() => {
    get<{ performances: { id: string; valid: number; checkedIn: number }[] }>(`/events/${detail.event.id}/check-in-counts`)
      .then((r) => (attendance.value = new Map(r.performances.map((p) => [p.id, p]))))
      .catch(() => {});
  }, [detail]);
  return (
    <Card title={tx.event.performances} testId="performances">
      <p class="hint">
        {tx.event.inTimeZone(tz)} {tx.event.retireHint}
      </p>
      {listed.length === 0 ? (
        <p class="muted">{tx.event.noPerformances}</p>
      ) : (
        <ul class="list">
          {listed.map((p) => (
            <PerformanceRow key={p.id} p={p} detail={detail} reload={reload} attendance={attendance.value.get(p.id)} />
          ))}
        </ul>
      )}
      <ArchivedToggle count={archived} shown={showArchived.value} toggle={() => (showArchived.value = !showArchived.value)} testId="perf-show-archived" />
      <h3>{tx.event.addPerformance}</h3>
      <PerformanceForm
        timeZone={tz}
        submitLabel={tx.event.addPerformance}
        testId="perf-add"
        send={(body) => post(`/events/${detail.event.id}/performances`, body)}
        done={reload}
      />
    </Card>
  );
}

function status(p: Performance) {
  const tx = t.value.event;
  if (p.archivedAt) return <span class="badge">{tx.archived}</span>;
  if (p.salesPaused) return <span class="badge warn">{tx.paused}</span>;
  if (!p.onSale) return <span class="badge">{tx.closed}</span>;
  return <span class="badge good">{tx.onSale}</span>;
}

function PerformanceRow({
  p,
  detail,
  reload,
  attendance,
}: {
  p: Performance;
  detail: ConsoleEventDetail;
  reload: () => void;
  attendance?: { valid: number; checkedIn: number };
}) {
  const tx = t.value;
  const mode = useSignal<'view' | 'edit' | 'duplicate'>('view');
  const form = useForm();
  const tz = detail.event.timeZone;
  const types = new Map(detail.ticketTypes.map((tt) => [tt.id, tt]));
  // An archived ticket type's seats show only where some were sold.
  const seats = p.seats.filter((s) => types.get(s.ticketTypeId)?.archivedAt === null || s.sold > 0);
  const when = dateTime(p.startsAt, tz);
  return (
    <li class={`list-row perf-row${p.archivedAt ? ' archived' : ''}`} data-testid="perf-row" data-id={p.id}>
      <div class="row-main">
        <strong>{when}</strong> {status(p)}
        <ul class="seats">
          {seats.map((s) => (
            <li key={s.ticketTypeId}>
              {types.get(s.ticketTypeId)?.name}: {count(s.sold)} {tx.event.sold} · {count(s.held)} {tx.event.held} · {count(s.available)} {tx.event.available}
            </li>
          ))}
        </ul>
        {attendance && (
          <p class="small" data-testid="perf-attendance">
            {tx.checkIn.checkedIn(count(attendance.checkedIn), count(attendance.valid))} · <a {...link(`check-in/${p.id}`)}>{tx.checkIn.atDoor}</a>
          </p>
        )}
      </div>
      <div class="row-actions">
        {p.archivedAt === null && (
          <>
            <button
              type="button"
              class="secondary"
              disabled={form.busy.value}
              data-testid="perf-pause"
              onClick={() => void form.run(() => patch(`/performances/${p.id}`, { salesPaused: !p.salesPaused })).then((ok) => ok && reload())}
            >
              {p.salesPaused ? tx.event.resume : tx.event.pause}
            </button>
            <button
              type="button"
              class="secondary"
              aria-expanded={mode.value === 'edit'}
              onClick={() => (mode.value = mode.value === 'edit' ? 'view' : 'edit')}
            >
              {tx.edit}
            </button>
            <button
              type="button"
              class="secondary"
              aria-expanded={mode.value === 'duplicate'}
              data-testid="perf-duplicate"
              onClick={() => (mode.value = mode.value === 'duplicate' ? 'view' : 'duplicate')}
            >
              {tx.event.duplicate}
            </button>
          </>
        )}
        <RetireActions
          form={form}
          archived={p.archivedAt !== null}
          hasSales={p.hasSales}
          archive={(archived) => patch(`/performances/${p.id}`, { archived })}
          remove={() => del(`/performances/${p.id}`)}
          confirmDelete={tx.event.confirmDeletePerformance(when)}
          done={reload}
          testId="perf"
        />
      </div>
      <FormMessage form={form} />
      {mode.value === 'edit' && (
        <PerformanceForm
          timeZone={tz}
          initial={p}
          submitLabel={tx.save}
          send={(body) => patch(`/performances/${p.id}`, body)}
          done={() => {
            mode.value = 'view';
            reload();
          }}
        />
      )}
      {mode.value === 'duplicate' && (
        <PerformanceForm
          timeZone={tz}
          startLabel={tx.event.duplicateTo}
          noClose
          submitLabel={tx.event.duplicateButton}
          send={(body) => post(`/performances/${p.id}/duplicate`, { startsAt: body.startsAt })}
          done={() => {
            mode.value = 'view';
            reload();
          }}
        />
      )}
    </li>
  );
}

function PerformanceForm(p: {
  timeZone: string;
  initial?: Performance;
  submitLabel: string;
  startLabel?: string;
  noClose?: boolean;
  testId?: string;
  send: (body: { startsAt: string; salesCloseAt?: string }) => Promise<unknown>;
  done: () => void;
}) {
  const tx = t.value;
  const form = useForm();
  const startsAt = useSignal(p.initial ? isoToZoned(p.initial.startsAt, p.timeZone) : '');
  const closeAt = useSignal(p.initial ? isoToZoned(p.initial.salesCloseAt, p.timeZone) : '');
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
              startsAt: startsAt.value ? zonedToIso(startsAt.value, p.timeZone) : '',
              ...(closeAt.value && !p.noClose ? { salesCloseAt: zonedToIso(closeAt.value, p.timeZone) } : {}),
            }),
          )
          .then((ok) => {
            if (!ok) return;
            if (!p.initial) startsAt.value = closeAt.value = '';
            p.done();
          });
      }}
    >
      <TextField
        label={p.startLabel ?? tx.event.startsAt}
        type="datetime-local"
        required
        value={startsAt.value}
        onInput={(v) => (startsAt.value = v)}
        error={form.error('startsAt')}
        testId="perf-starts"
      />
      {!p.noClose && (
        <TextField
          label={tx.event.salesCloseAt}
          hint={tx.event.salesCloseHint}
          type="datetime-local"
          value={closeAt.value}
          onInput={(v) => (closeAt.value = v)}
          error={form.error('salesCloseAt')}
        />
      )}
      <div class="actions">
        <FormMessage form={form} />
        <Submit form={form} label={p.submitLabel} testId={p.testId && `${p.testId}-submit`} />
      </div>
    </form>
  );
}
