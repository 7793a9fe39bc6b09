// Check-in at the door, phones first: pick the performance, then scan with the camera or type the
// code; the answer fills the screen in colour, with a word and an icon (never colour alone), and
// is announced. The header counts who is in; with the network down the page answers from the
// preloaded list, says so with the number of scans queued, and syncs them when it is back.
import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { ConsoleEvent, ConsoleEventDetail } from '../../server/contracts/console.ts';
import { BASE, get } from '../api.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page } from '../components/ui.tsx';
import { count, dateTime } from '../format.ts';
import { t } from '../i18n.ts';
import { link, navigate } from '../router.ts';
import { type Answer, door, type Door, type Shown } from './check-in-door.ts';

export function CheckIn({ id }: { id?: string }) {
  return id ? <DoorScreen performanceId={id} /> : <Picker />;
}

function Picker() {
  const tx = t.value.checkIn;
  const events = useSignal<ConsoleEvent[] | null>(null);
  const eventId = useSignal('');
  const detail = useSignal<ConsoleEventDetail | null>(null);
  const performanceId = useSignal('');
  const form = useForm();
  useEffect(() => {
    void form.run(async () => {
      events.value = (await get<{ events: ConsoleEvent[] }>('/events')).events;
      if (events.value[0]) pick(events.value[0].id);
    });
  }, []);
  const pick = (id: string) => {
    eventId.value = id;
    detail.value = null;
    void form.run(async () => {
      detail.value = await get<ConsoleEventDetail>(`/events/${id}`);
      performanceId.value = live(detail.value)[0]?.id ?? '';
    });
  };
  const live = (d: ConsoleEventDetail) => d.performances.filter((p) => p.archivedAt === null);
  return (
    <Page title={tx.title} intro={tx.intro}>
      <FormMessage form={form} />
      {events.value === null ? (
        <Loading />
      ) : (
        <form
          class="checkin-pick"
          onSubmit={(e) => {
            e.preventDefault();
            if (performanceId.value) navigate(`check-in/${performanceId.value}`);
          }}
        >
          <SelectField
            label={tx.event}
            value={eventId.value}
            onChange={pick}
            options={events.value.map((e) => ({ value: e.id, label: e.title }))}
            testId="checkin-event"
          />
          {detail.value && (
            <SelectField
              label={tx.performance}
              value={performanceId.value}
              onChange={(v) => (performanceId.value = v)}
              options={live(detail.value).map((p) => ({ value: p.id, label: dateTime(p.startsAt, detail.value!.event.timeZone) }))}
              testId="checkin-performance"
            />
          )}
          <button type="submit" class="primary" disabled={!performanceId.value} data-testid="checkin-open">
            {tx.open}
          </button>
        </form>
      )}
    </Page>
  );
}

function DoorScreen({ performanceId }: { performanceId: string }) {
  const tx = t.value.checkIn;
  const d = useMemo(() => door(performanceId), [performanceId]);
  const failure = useSignal<string | null>(null);
  useEffect(() => {
    d.preload()
      .then(() => d.sync())
      .catch((e) => (failure.value = describeFailure(e)));
    const goneOnline = () => {
      d.online.value = true;
      void d.sync();
    };
    const goneOffline = () => (d.online.value = false);
    addEventListener('online', goneOnline);
    addEventListener('offline', goneOffline);
    // A queue left by a drop the browser did not notice, counts from the other doors, and every
    // minute a fresh list, so an offline answer knows what other doors admitted meanwhile.
    let ticks = 0;
    const every = setInterval(() => {
      ticks += 1;
      void (d.queue.value.length > 0 ? d.sync() : ticks % 4 === 0 ? d.preload().catch(() => {}) : d.refreshCounts());
    }, 15_000);
    return () => {
      removeEventListener('online', goneOnline);
      removeEventListener('offline', goneOffline);
      clearInterval(every);
    };
  }, [d]);
  const list = d.list.value;
  return (
    <Page title={tx.title} actions={<a {...link('check-in')}>{tx.change}</a>}>
      {list && (
        <p class="checkin-show" data-testid="checkin-show">
          {list.performance.eventTitle}, {dateTime(list.performance.startsAt, list.performance.timeZone)}
        </p>
      )}
      {list && (
        <p class="checkin-tally" data-testid="checkin-tally">
          {tx.tally(count(list.counts.checkedIn), count(list.counts.valid))}
        </p>
      )}
      {failure.value && (
        <p class="message bad" role="alert">
          {failure.value}
        </p>
      )}
      <Connection d={d} />
      <Conflicts d={d} />
      <AnswerPanel d={d} />
      <Entry d={d} />
      <Camera d={d} />
      <Tally d={d} performanceId={performanceId} />
    </Page>
  );
}

function Connection({ d }: { d: Door }) {
  const tx = t.value.checkIn;
  const queued = d.queue.value.length;
  const offline = !d.online.value;
  return (
    <p class={`checkin-connection${offline ? ' offline' : ''}`} role="status" data-testid="checkin-connection" data-offline={offline ? 'yes' : 'no'}>
      {offline ? tx.offline(queued) : queued > 0 ? tx.syncing(queued) : tx.online}
    </p>
  );
}

/** Tickets let in offline that had been used elsewhere first, as the sync found. */
function Conflicts({ d }: { d: Door }) {
  const tx = t.value.checkIn;
  const list = d.conflicts.value;
  if (list.length === 0) return null;
  const tz = d.list.value?.performance.timeZone ?? 'UTC';
  return (
    <div class="message warn" role="alert" data-testid="checkin-conflicts">
      <p>{tx.conflicts(list.length)}</p>
      <ul>
        {list.map((c) => (
          <li key={c.payload}>
            {dateTime(c.at, tz)}: {tx.results[c.answer.result]}
            {c.answer.result !== 'unknown' && ` — ${[c.answer.ticket.ticketType, c.answer.ticket.buyerName].filter(Boolean).join(' · ')}`}
            {c.answer.result === 'already_used' &&
              `; ${tx.usedAt(dateTime(c.answer.checkedInAt, tz), [c.answer.by, c.answer.deviceId].filter(Boolean).join(', '))}`}
          </li>
        ))}
      </ul>
      <button type="button" class="secondary" onClick={() => (d.conflicts.value = [])}>
        {tx.dismiss}
      </button>
    </div>
  );
}

const ICON: Record<Answer['result'], string> = { valid: '✓', already_used: '⚠', wrong_performance: '↷', not_valid: '✕', unknown: '?' };

function AnswerPanel({ d }: { d: Door }) {
  const s = d.shown.value;
  // The region is always there, so screen readers announce what appears in it.
  return (
    <div
      class={`checkin-answer${s ? ` is-${s.answer.result}` : ''}`}
      aria-live="assertive"
      aria-atomic="true"
      data-testid="checkin-answer"
      data-result={s?.answer.result ?? ''}
    >
      {s ? <AnswerText s={s} d={d} /> : <p class="muted">{t.value.checkIn.waiting}</p>}
    </div>
  );
}

function AnswerText({ s, d }: { s: Shown; d: Door }) {
  const tx = t.value.checkIn;
  const a = s.answer;
  const tz = d.list.value?.performance.timeZone ?? 'UTC';
  const undo = useForm();
  const lines: string[] = [];
  if (a.result !== 'unknown') lines.push([a.ticket.ticketType, a.ticket.buyerName].filter(Boolean).join(' · '));
  if (a.result === 'already_used') lines.push(tx.usedAt(dateTime(a.checkedInAt, tz), [a.by, a.deviceId].filter(Boolean).join(', ')));
  if (a.result === 'wrong_performance') lines.push(tx.forPerformance(a.performance.eventTitle, dateTime(a.performance.startsAt, a.performance.timeZone)));
  if (a.result === 'not_valid') lines.push(tx.reasons[a.reason] ?? a.reason);
  if (a.result === 'unknown') lines.push(s.offline ? tx.notOnList : tx.unknownHint);
  if (s.offline && a.result !== 'unknown') lines.push(tx.answeredOffline);
  return (
    <>
      <p class="checkin-verdict">
        <span aria-hidden="true">{ICON[a.result]}</span> {tx.results[a.result]}
      </p>
      {lines
        .filter((l) => l)
        .map((l) => (
          <p key={l}>{l}</p>
        ))}
      {a.result === 'not_valid' && a.reason === 'reserved' && a.order.id && (
        <p>
          <a {...link(`orders/${a.order.id}`)} data-testid="checkin-take-payment">
            {tx.takePayment(a.order.number)}
          </a>
        </p>
      )}
      {a.result === 'valid' && !s.offline && (
        <p>
          <button type="button" class="secondary" data-testid="checkin-undo" disabled={undo.busy.value} onClick={() => void undo.run(() => d.undo(s.payload))}>
            {tx.undo}
          </button>
        </p>
      )}
      <FormMessage form={undo} />
    </>
  );
}

function Entry({ d }: { d: Door }) {
  const tx = t.value.checkIn;
  const code = useSignal('');
  const form = useForm();
  return (
    <form
      class="checkin-entry"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const text = code.value;
        if (!text.trim()) return;
        void form.run(async () => {
          await d.check(text);
          code.value = '';
        });
      }}
    >
      <TextField label={tx.code} hint={tx.codeHint} value={code.value} onInput={(v) => (code.value = v)} testId="checkin-code" />
      <button type="submit" class="primary" disabled={form.busy.value} data-testid="checkin-submit">
        {tx.check}
      </button>
      <FormMessage form={form} />
    </form>
  );
}

function Camera({ d }: { d: Door }) {
  const tx = t.value.checkIn;
  const video = useRef<HTMLVideoElement>(null);
  const stop = useRef<(() => void) | null>(null);
  const on = useSignal(false);
  const failure = useSignal<string | null>(null);
  useEffect(() => () => stop.current?.(), []);
  const start = async () => {
    failure.value = null;
    try {
      const { startCamera } = await import('./check-in-camera.ts');
      on.value = true;
      stop.current = await startCamera(video.current!, (text) => void d.check(text).catch((e) => (failure.value = describeFailure(e))));
    } catch (e) {
      on.value = false;
      failure.value = tx.cameraFailed(String((e as Error).message ?? e));
    }
  };
  const hasCamera = typeof navigator.mediaDevices?.getUserMedia === 'function';
  if (!hasCamera) return null;
  return (
    <div class="checkin-camera">
      <button
        type="button"
        class="secondary"
        data-testid="checkin-camera"
        onClick={() => {
          if (on.value) {
            stop.current?.();
            stop.current = null;
            on.value = false;
          } else void start();
        }}
      >
        {on.value ? tx.stopCamera : tx.startCamera}
      </button>
      <video ref={video} class={on.value ? '' : 'hidden'} muted playsInline aria-label={tx.cameraView} />
      {failure.value && (
        <p class="message bad" role="alert">
          {failure.value}
        </p>
      )}
    </div>
  );
}

function Tally({ d, performanceId }: { d: Door; performanceId: string }) {
  const tx = t.value.checkIn;
  const c = useComputed(() => d.counts.value);
  if (!c.value) return null;
  return (
    <Card title={tx.byType} testId="checkin-counts">
      <ul class="list">
        {c.value.byType.map((ty) => (
          <li key={ty.id}>
            {ty.name}: {tx.countsOf(count(ty.checkedIn), count(ty.valid))}
          </li>
        ))}
      </ul>
      <p>
        <a href={`${BASE}/performances/${performanceId}/check-ins.csv`} download data-testid="checkin-csv">
          {tx.csv}
        </a>
      </p>
    </Card>
  );
}
