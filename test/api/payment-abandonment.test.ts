// Payment abandonment, through HTTP and the recovery loop: a buyer checks out, goes to pay and
// does not (declines, or just leaves); once the order's payment time runs out its cart counts as
// abandoned with kind 'payment', the reminder (read from the SMTP catcher) says the payment did
// not go through, and its link brings the same seats back so a new payment can be made.
import { expect, test } from 'vitest';
import { organizerStats } from '../../server/stats/stats.ts';
import { signDemo } from '../../server/payments/demo.ts';
import { bearer } from '../support/world.ts';
import { PAYMENTS_BASE, recoveryWorld, resumeTokenFrom } from '../support/recovery-world.ts';

type World = Awaited<ReturnType<typeof recoveryWorld>>;

async function payingWorld(recovery: Record<string, unknown> = {}) {
  return recoveryWorld({
    startsInDays: 10,
    capacity: 4,
    demoPayments: true,
    settings: { holdMinutes: 15, payments: { provider: 'demo', timeoutMinutes: 20 }, recovery },
  });
}

const local = (url: string) => url.replace(PAYMENTS_BASE, '');

/** Checks the cart out and opens the demo payment page; returns the order and the page. */
async function goToPay(w: World, cart: { id: string; auth: Record<string, string> }) {
  const res = await w.call('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.auth);
  expect(res.status).toBe(201);
  expect(res.body.order.status).toBe('pending_payment');
  const start = await w.call('GET', local(res.body.payment.redirectUrl));
  expect(start.status).toBe(303);
  return { order: res.body.order as { id: string; total: number }, page: local(start.headers.get('location')!) };
}

const press = (w: World, page: string, result: 'succeeded' | 'declined') =>
  w.call('POST', page, `result=${result}`, { 'content-type': 'application/x-www-form-urlencoded' });

/** The provider's word that the money arrived, as the demo provider signs it (a late Pay, after the page closed). */
function paidLate(w: World, page: string) {
  const body = JSON.stringify({ paymentId: page.split('/').pop(), status: 'succeeded' });
  return w.call('POST', `/payments/notify/demo/${w.organizerId}`, body, { 'encore-demo-signature': signDemo(w.secret, body) });
}

const orderRow = (w: World, id: string) => w.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const cartRow = (w: World, id: string) => w.db.selectFrom('carts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const available = async (w: World) => (await w.call('GET', `/api/v1/events/${w.slug}`)).body.performances[0].ticketTypes[0].available as number;

test('a declined payment whose time runs out: abandoned as payment, reminded in its own words, and the link leads to a paid, recovered order', async () => {
  const w = await payingWorld();
  const cart = await w.leaveCart({ email: 'anna@example.com', quantity: 2 });
  const { order, page } = await goToPay(w, cart);
  expect((await press(w, page, 'declined')).status).toBe(303);

  // While the order may still be paid nothing is abandoned.
  expect((await w.after(19)).scan.abandoned).toBe(0);
  const expiredRound = await w.after(2);
  expect(expiredRound.expired).toBe(1);
  expect((await orderRow(w, order.id)).status).toBe('expired');
  expect(await available(w)).toBe(4);

  const scanned = await w.after(1);
  expect(scanned.scan).toMatchObject({ abandoned: 1, payment: 1, seriesStarted: 1 });
  const givenBack = await w.db.selectFrom('carts').selectAll().where('order_id', '=', order.id).where('status', '=', 'open').executeTakeFirstOrThrow();
  expect(givenBack).toMatchObject({ buyer_email: 'anna@example.com', abandoned_at: '2026-12-01T09:20:00.000Z' });
  expect((await cartRow(w, cart.id)).status).toBe('completed');

  await w.after(60);
  const [mail] = w.inbox();
  expect(mail!.to).toEqual(['anna@example.com']);
  expect(mail!.subject).toContain('Your payment did not go through');
  expect(mail!.subject).toContain('Hamlet');
  expect(String(mail!.text)).toContain('did not go through, so no tickets were issued');
  expect(String(mail!.html)).toContain('did not go through');

  // The link: the same seats held again, and checkout starts a new payment that succeeds.
  const resumed = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(mail!) });
  expect(resumed.status).toBe(200);
  expect(resumed.body.resume.state).toBe('restored');
  expect(resumed.body.cart).toMatchObject({ status: 'open', holdActive: true, items: [{ quantity: 2 }] });
  expect(await available(w)).toBe(2);
  const again = await goToPay(w, { id: resumed.body.cart.id, auth: bearer(resumed.body.cart.token) });
  expect(again.order.id).not.toBe(order.id);
  await press(w, again.page, 'succeeded');
  const paid = await orderRow(w, again.order.id);
  expect(paid).toMatchObject({ status: 'paid', recovered_via: 'link' });
  // The checked-out cart keeps its expired order; the one given back has the paid one.
  expect(paid.cart_id).toBe(resumed.body.cart.id);
  expect(paid.cart_id).not.toBe(cart.id);

  // Paid: no more reminders, and the stats count it like any recovered cart, with paid money only.
  const series = await w.db.selectFrom('reminder_series').selectAll().execute();
  expect(series).toMatchObject([{ status: 'stopped', stop_reason: 'purchased' }]);
  expect(paid.recovered_series_id).toBe(series[0]!.id);
  const pending = await w.db.selectFrom('outbox').select('status').where('status', '=', 'pending').execute();
  expect(pending).toEqual([]);
  const stats = await organizerStats(w.db, w.organizerId, { from: '2026-12-01', to: '2026-12-01' });
  expect(stats.byPerformance[0]).toMatchObject({ abandonedWithEmail: 1, reminded: 1, clicked: 1, recoveredOrders: 1, recoveredRevenue: paid.total });
});

test('the built-in Russian wording and the organizer’s own payment wording', async () => {
  const w = await payingWorld({
    steps: [{ delayMinutes: 60, paymentSubject: { en: 'Still want {{event}}? The bank said no' }, subject: { en: 'A cart wording, not this one' } }],
  });
  const ru = await w.leaveCart({ email: 'ru@example.com', quantity: 1 });
  await w.db.updateTable('carts').set({ locale: 'ru' }).where('id', '=', ru.id).execute();
  await goToPay(w, ru);
  const en = await w.leaveCart({ email: 'en@example.com', quantity: 1 });
  await goToPay(w, en); // the buyer leaves the payment page without pressing anything
  await w.after(21);
  await w.after(1);
  await w.after(60);
  const mails = w.inbox();
  expect(mails.find((m) => m.to.includes('ru@example.com'))!.subject).toMatch(/^Оплата не прошла — билеты ещё можно купить: «Hamlet», /);
  expect(mails.find((m) => m.to.includes('en@example.com'))!.subject).toBe('Still want Hamlet? The bank said no');
});

test('a payment that succeeds after expiry: no reminders, and a link already sent shows the purchase instead of holding seats again', async () => {
  const w = await payingWorld();
  const cart = await w.leaveCart({ email: 'late@example.com', quantity: 1 });
  const { order, page } = await goToPay(w, cart);
  await w.after(21);
  expect((await w.after(1)).scan).toMatchObject({ payment: 1, seriesStarted: 1 });
  await w.after(60);
  const [mail] = w.inbox();
  expect((await paidLate(w, page)).status).toBe(204);
  expect((await orderRow(w, order.id)).status).toBe('paid');
  const resumed = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(mail!) });
  expect(resumed.body).toMatchObject({ resume: { state: 'completed' }, cart: { id: cart.id, status: 'completed' } });
  expect(await available(w)).toBe(3);
  w.clock.advance(3 * 24 * 60);
  await w.jobs.runOnce();
  expect(w.inbox()).toHaveLength(1);
  expect(await w.db.selectFrom('reminder_series').select(['status', 'stop_reason']).execute()).toEqual([{ status: 'stopped', stop_reason: 'purchased' }]);
});

test('an expired payment caught before the scan and paid late starts no series', async () => {
  const w = await payingWorld();
  const cart = await w.leaveCart({ email: 'late@example.com', quantity: 1 });
  const { page } = await goToPay(w, cart);
  w.clock.advance(21);
  await w.jobs.runOnce(); // the scan runs before the expire job in a round
  expect((await paidLate(w, page)).status).toBe(204);
  expect((await w.after(1)).scan).toMatchObject({ abandoned: 1, payment: 1, seriesStarted: 0 });
  expect(await w.db.selectFrom('reminder_series').select('id').execute()).toEqual([]);
});

test('a series for a left cart is not stopped by a payment still pending, and goes on in the payment wording once it expired', async () => {
  const w = await payingWorld();
  const cart = await w.leaveCart({ email: 'waits@example.com', quantity: 1 });
  await w.after(31);
  expect((await w.db.selectFrom('outbox').select('status').execute()).length).toBe(3);
  // The buyer comes back by themself and goes to pay; the first reminder falls due meanwhile.
  w.clock.advance(45);
  await goToPay(w, cart);
  await w.after(16);
  expect(w.inbox()).toEqual([]);
  const series = await w.db.selectFrom('reminder_series').selectAll().executeTakeFirstOrThrow();
  expect(series.status).toBe('active');
  // The payment time runs out: the same series goes on, now in the payment wording.
  await w.after(5);
  await w.after(1);
  w.clock.advance(24 * 60);
  await w.jobs.runOnce();
  const [mail] = w.inbox();
  expect(mail!.subject).toContain('Your payment did not go through');
});
