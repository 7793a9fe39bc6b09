// Orders for the box office: search (number, email, name, phone, ticket code) and filters, a
// table that pages on, the same list as CSV, and one order in full — buyer and answers, tickets,
// payments, refunds and its history — with its actions (mark a reservation paid at the desk,
// cancel, refund all or part of a paid order), each asked for again before it is done.
import { signal, useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { BASE, get, post } from '../api.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { dateTime, money, toMajor, toMinor } from '../format.ts';
import { locale, t } from '../i18n.ts';
import { link } from '../router.ts';
import type { ConsoleEvent, ConsoleEventDetail } from '../../server/contracts/console.ts';

type Status = 'pending_payment' | 'reserved' | 'paid' | 'expired' | 'cancelled' | 'refunded';
const STATUSES: Status[] = ['pending_payment', 'reserved', 'paid', 'expired', 'cancelled', 'refunded'];
// A paid order is refunded instead (a full refund ends it).
const CANCELLABLE: Status[] = ['pending_payment', 'reserved'];
const METHODS = ['box_office', 'free', 'demo', 'yookassa', 'stripe'];

interface OrderSummary {
  id: string;
  number: string;
  status: Status;
  paymentMethod: string;
  total: number;
  currency: string;
  createdAt: string;
  buyer: { email: string; name: string; phone: string | null };
  event: { id: string; title: string; timeZone: string };
  performance: { id: string; startsAt: string };
}

interface OrderDetail extends OrderSummary {
  buyer: OrderSummary['buyer'] & { answerList: { id: string; label: Partial<Record<'ru' | 'en', string>> | null; answer: string }[] };
  tickets: { code: string; name: string; price: number }[];
  payments: { id: string; provider: string; amount: number; currency: string; status: string; createdAt: string; updatedAt: string }[];
  refundedAmount: number;
  refunds: {
    id: string;
    provider: string;
    amount: number;
    currency: string;
    status: 'pending' | 'succeeded' | 'failed';
    reason: string | null;
    actor: string;
    lastError: string | null;
    createdAt: string;
  }[];
  history: { at: string; actor: string; action: string; details: Record<string, unknown> }[];
}

// The search and filters outlive the screen: back from an order, the list is as it was.
const filters = signal({ q: '', eventId: '', performanceId: '', status: '', paymentMethod: '', from: '', to: '' });

const query = () => new URLSearchParams(Object.entries(filters.value).filter(([, v]) => v !== '') as [string, string][]).toString();

const statusText = (s: string) => (t.value.orders.statuses as Record<string, string>)[s] ?? s;
const methodText = (m: string) => (t.value.orders.methods as Record<string, string>)[m] ?? m;
const paymentStatusText = (s: string) => (t.value.orders.paymentStatuses as Record<string, string>)[s] ?? s;
const actionText = (a: string) => (t.value.orders.actions as Record<string, string>)[a] ?? a;
const actorText = (a: string) => (t.value.orders.actors as Record<string, string>)[a] ?? a;
/** A question's label in the console's language, else another; its id when it is no longer asked. */
const questionText = (q: OrderDetail['buyer']['answerList'][number]) => q.label?.[locale.value] || q.label?.ru || q.label?.en || q.id;

export function Orders({ id }: { id?: string }) {
  return id ? <Order id={id} /> : <OrderList />;
}

function OrderList() {
  const tx = t.value.orders;
  const form = useForm();
  const orders = useSignal<OrderSummary[] | null>(null);
  const next = useSignal<string | null>(null);
  const events = useSignal<ConsoleEvent[]>([]);
  const performances = useSignal<{ id: string; startsAt: string }[]>([]);
  const f = filters.value;
  const set = (k: keyof typeof f, v: string) => (filters.value = { ...filters.value, [k]: v });

  const load = (cursor?: string) =>
    form.run(async () => {
      const r = await get<{ orders: OrderSummary[]; nextCursor: string | null }>(`/orders?${query()}${cursor ? `&cursor=${cursor}` : ''}`);
      orders.value = cursor ? [...(orders.value ?? []), ...r.orders] : r.orders;
      next.value = r.nextCursor;
    });
  useEffect(() => {
    void load();
    get<{ events: ConsoleEvent[] }>('/events?archived=include')
      .then((r) => (events.value = r.events))
      .catch((e) => (form.general.value = describeFailure(e)));
  }, []);
  useEffect(() => {
    performances.value = [];
    if (!f.eventId) return;
    get<ConsoleEventDetail>(`/events/${f.eventId}`)
      .then((r) => (performances.value = r.performances))
      .catch((e) => (form.general.value = describeFailure(e)));
  }, [f.eventId]);
  const zone = events.value.find((e) => e.id === f.eventId)?.timeZone ?? 'UTC';

  return (
    <Page title={tx.title} intro={tx.intro}>
      <form
        noValidate
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <TextField label={tx.search} type="text" value={f.q} onInput={(v) => set('q', v)} error={form.error('q')} hint={tx.searchHint} testId="orders-q" />
        <SelectField
          label={tx.event}
          value={f.eventId}
          onChange={(v) => (filters.value = { ...filters.value, eventId: v, performanceId: '' })}
          options={[{ value: '', label: tx.all }, ...events.value.map((e) => ({ value: e.id, label: e.title }))]}
          error={form.error('eventId')}
          testId="orders-event"
        />
        <SelectField
          label={tx.performance}
          value={f.performanceId}
          onChange={(v) => set('performanceId', v)}
          options={[{ value: '', label: tx.all }, ...performances.value.map((p) => ({ value: p.id, label: dateTime(p.startsAt, zone) }))]}
          error={form.error('performanceId')}
        />
        <SelectField
          label={tx.status}
          value={f.status}
          onChange={(v) => set('status', v)}
          options={[{ value: '', label: tx.all }, ...STATUSES.map((s) => ({ value: s, label: statusText(s) }))]}
          error={form.error('status')}
          testId="orders-status"
        />
        <SelectField
          label={tx.method}
          value={f.paymentMethod}
          onChange={(v) => set('paymentMethod', v)}
          options={[{ value: '', label: tx.all }, ...METHODS.map((m) => ({ value: m, label: methodText(m) }))]}
          error={form.error('paymentMethod')}
        />
        <TextField label={tx.from} type="date" value={f.from} onInput={(v) => set('from', v)} error={form.error('from')} />
        <TextField label={tx.to} type="date" value={f.to} onInput={(v) => set('to', v)} error={form.error('to')} />
        <Submit form={form} label={tx.show} testId="orders-show" />
        <a class="button secondary" href={`${BASE}/orders.csv?${query()}`} download data-testid="orders-csv">
          {tx.csv}
        </a>
      </form>
      <FormMessage form={form} />
      {orders.value === null ? (
        <Loading />
      ) : orders.value.length === 0 ? (
        <p class="muted" data-testid="orders-none">
          {tx.none}
        </p>
      ) : (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the window scrolls sideways, and a focusable scroller is what lets keyboard users scroll it */}
          <section class="table-wrap" tabIndex={0} aria-label={tx.tableRegion} data-testid="orders-table-region">
            <table data-testid="orders-table">
              <thead>
                <tr>
                  <th scope="col">{tx.number}</th>
                  <th scope="col">{tx.created}</th>
                  <th scope="col">{tx.buyer}</th>
                  <th scope="col">{tx.show_}</th>
                  <th scope="col">{tx.total}</th>
                  <th scope="col">{tx.status}</th>
                  <th scope="col">{tx.method}</th>
                </tr>
              </thead>
              <tbody>
                {orders.value.map((o) => (
                  <tr key={o.id} data-testid="order-row">
                    <th scope="row">
                      <a {...link(`orders/${o.id}`)}>{o.number}</a>
                    </th>
                    <td>{dateTime(o.createdAt, o.event.timeZone)}</td>
                    <td>
                      {o.buyer.name}
                      <br />
                      <span class="muted small">{o.buyer.email}</span>
                    </td>
                    <td>
                      {o.event.title}
                      <br />
                      <span class="muted small">{dateTime(o.performance.startsAt, o.event.timeZone)}</span>
                    </td>
                    <td>{money(o.total, o.currency)}</td>
                    <td data-testid="order-status">{statusText(o.status)}</td>
                    <td>{methodText(o.paymentMethod)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {next.value && (
            <button type="button" class="secondary" onClick={() => void load(next.value!)}>
              {tx.more}
            </button>
          )}
        </>
      )}
    </Page>
  );
}

function Order({ id }: { id: string }) {
  const tx = t.value.orders;
  const form = useForm();
  const order = useSignal<OrderDetail | null>(null);
  const note = useSignal<string | null>(null);
  useEffect(() => {
    void form.run(async () => (order.value = (await get<{ order: OrderDetail }>(`/orders/${id}`)).order));
  }, [id]);
  const act = (action: 'mark-paid' | 'cancel', question: string, done: string) => {
    if (!confirm(question)) return;
    note.value = null;
    void form.run(async () => {
      order.value = (await post<{ order: OrderDetail }>(`/orders/${id}/${action}`)).order;
      note.value = done;
    });
  };
  const o = order.value;
  return (
    <Page title={o ? tx.orderTitle(o.number) : tx.title} actions={<a {...link('orders')}>{tx.back}</a>}>
      <FormMessage form={form} />
      {note.value && (
        <p class="message good" role="status">
          {note.value}
        </p>
      )}
      {!o ? (
        !form.general.value && <Loading />
      ) : (
        <>
          <Card testId="order-detail">
            <dl class="order-facts">
              <dt>{tx.status}</dt>
              <dd data-testid="order-detail-status">{statusText(o.status)}</dd>
              <dt>{tx.method}</dt>
              <dd>{methodText(o.paymentMethod)}</dd>
              <dt>{tx.total}</dt>
              <dd>{money(o.total, o.currency)}</dd>
              <dt>{tx.created}</dt>
              <dd>{dateTime(o.createdAt, o.event.timeZone)}</dd>
              <dt>{tx.show_}</dt>
              <dd>
                {o.event.title}, {dateTime(o.performance.startsAt, o.event.timeZone)}
              </dd>
              <dt>{tx.buyer}</dt>
              <dd>
                {o.buyer.name}, {o.buyer.email}
                {o.buyer.phone ? `, ${o.buyer.phone}` : ''}
              </dd>
              {o.buyer.answerList.map((q) => [
                <dt key={`q-${q.id}`}>{questionText(q)}</dt>,
                <dd key={`a-${q.id}`} data-testid="order-answer">
                  {q.answer}
                </dd>,
              ])}
              {o.refundedAmount > 0 && [
                <dt key="refunded">{tx.refunded}</dt>,
                <dd key="refunded-amount" data-testid="order-refunded">
                  {money(o.refundedAmount, o.currency)}
                </dd>,
              ]}
            </dl>
            <div class="row-actions">
              {o.status === 'reserved' && (
                <button
                  type="button"
                  data-testid="order-mark-paid"
                  onClick={() => act('mark-paid', tx.confirmPaid(o.number, money(o.total, o.currency)), tx.markedPaid)}
                >
                  {tx.markPaid}
                </button>
              )}
              {CANCELLABLE.includes(o.status) && (
                <button type="button" class="danger" data-testid="order-cancel" onClick={() => act('cancel', tx.confirmCancel(o.number), tx.cancelled)}>
                  {tx.cancelOrder}
                </button>
              )}
            </div>
          </Card>
          {(o.status === 'paid' || o.status === 'reserved') && <Resend id={id} email={o.buyer.email} onSent={(d) => (order.value = d)} />}
          <Card title={tx.tickets}>
            {o.tickets.length === 0 ? (
              <p class="muted">{tx.noTickets}</p>
            ) : (
              <ul>
                {o.tickets.map((k) => (
                  <li key={k.code}>
                    {k.name}, {money(k.price, o.currency)} — <code>{k.code}</code>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={tx.payments}>
            {o.payments.length === 0 ? (
              <p class="muted">{tx.noPayments}</p>
            ) : (
              <ul data-testid="order-payments">
                {o.payments.map((p) => (
                  <li key={p.id}>
                    {dateTime(p.createdAt, o.event.timeZone)}: {methodText(p.provider)}, {money(p.amount, p.currency)} — {paymentStatusText(p.status)}
                    {p.updatedAt !== p.createdAt && <span class="muted small"> ({dateTime(p.updatedAt, o.event.timeZone)})</span>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={tx.refunds}>
            {o.refunds.length === 0 ? (
              <p class="muted">{tx.noRefunds}</p>
            ) : (
              <ul data-testid="order-refunds">
                {o.refunds.map((r) => (
                  <li key={r.id} data-testid="order-refund">
                    {dateTime(r.createdAt, o.event.timeZone)}: {money(r.amount, r.currency)} — {tx.refundStatuses[r.status]}, {actorText(r.actor)}
                    {r.provider === 'box_office' ? ` (${tx.atDesk})` : ''}
                    {r.reason && <span class="muted small"> — {r.reason}</span>}
                    {r.status !== 'succeeded' && r.lastError && <span class="muted small"> ({r.lastError})</span>}
                  </li>
                ))}
              </ul>
            )}
            {o.status === 'paid' && o.total > o.refundedAmount && (
              <RefundForm
                key={o.refundedAmount}
                order={o}
                onDone={(next, text) => {
                  order.value = next;
                  note.value = text;
                }}
              />
            )}
          </Card>
          <Card title={tx.history}>
            <ol class="history" data-testid="order-history">
              {o.history.map((e, i) => (
                <li key={`${e.at}-${i}`}>
                  <span class="muted small">{dateTime(e.at, o.event.timeZone)}</span>{' '}
                  {actionText(e.action === 'paid' && e.details.from === 'reserved' ? 'marked_paid' : e.action)}
                  {typeof e.details.amount === 'number' && e.action.startsWith('refund') ? `, ${money(e.details.amount, o.currency)}` : ''} —{' '}
                  {actorText(e.actor)}
                </li>
              ))}
            </ol>
          </Card>
        </>
      )}
    </Page>
  );
}

/** A refund of what is left (or part of it): the amount prefilled, a reason, asked again before it is sent. */
function RefundForm({ order: o, onDone }: { order: OrderDetail; onDone: (o: OrderDetail, note: string) => void }) {
  const tx = t.value.orders;
  const form = useForm();
  const left = o.total - o.refundedAmount;
  const amount = useSignal(toMajor(left, o.currency));
  const reason = useSignal('');
  return (
    <form
      noValidate
      class="refund-form"
      data-testid="refund-form"
      onSubmit={(e) => {
        e.preventDefault();
        const minor = toMinor(amount.value, o.currency);
        if (!confirm(tx.confirmRefund(o.number, Number.isFinite(minor) ? money(minor, o.currency) : amount.value))) return;
        void form.run(async () => {
          const r = await post<{ order: OrderDetail; refund: { status: string } }>(`/orders/${o.id}/refunds`, {
            amount: Number.isFinite(minor) ? minor : null,
            reason: reason.value.trim() || undefined,
          });
          onDone(r.order, r.refund.status === 'succeeded' ? tx.refundDone : tx.refundPending);
        });
      }}
    >
      <h3>{tx.refundTitle}</h3>
      <TextField
        label={tx.refundAmount(o.currency)}
        type="text"
        value={amount.value}
        onInput={(v) => (amount.value = v)}
        error={form.error('amount')}
        hint={tx.refundLeft(money(left, o.currency))}
        testId="refund-amount"
      />
      <TextField
        label={tx.refundReason}
        type="text"
        value={reason.value}
        onInput={(v) => (reason.value = v)}
        error={form.error('reason')}
        testId="refund-reason"
      />
      <FormMessage form={form} />
      <Submit form={form} label={tx.refund} testId="refund-submit" />
    </form>
  );
}

/** The tickets again, to the order's address or a corrected one (which the order then keeps). */
function Resend({ id, email, onSent }: { id: string; email: string; onSent: (o: OrderDetail) => void }) {
  const tx = t.value.orders;
  const form = useForm();
  const to = useSignal(email);
  const sentTo = useSignal<string | null>(null);
  return (
    <Card title={tx.resendTitle} testId="order-resend">
      <form
        noValidate
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          sentTo.value = null;
          void form.run(async () => {
            const address = to.value.trim();
            onSent((await post<{ order: OrderDetail }>(`/orders/${id}/resend`, address === email ? {} : { email: address })).order);
            sentTo.value = address;
          });
        }}
      >
        <TextField
          label={tx.resendTo}
          hint={tx.resendHint}
          type="email"
          value={to.value}
          onInput={(v) => (to.value = v)}
          error={form.error('email')}
          testId="resend-email"
        />
        <Submit form={form} label={tx.resend} testId="resend-submit" />
      </form>
      <FormMessage form={form} />
      {sentTo.value && (
        <p class="message good" role="status" data-testid="resend-done">
          {tx.resent(sentTo.value)}
        </p>
      )}
    </Card>
  );
}
