// Order mail through the job queue over real SMTP (an smtp-server in the test, read back with
// mailparser): a reservation is confirmed at once with the tickets (PDF, .ics, QR codes that
// decode to the tickets' payloads); paying at the desk confirms again; a cancelled order, an
// expired reservation and a refund get their notices; an online order whose payment time ran out
// gets none (its buyer gets the payment reminders instead). Transactional: a buyer who
// unsubscribed from reminders still gets their tickets, and no mail carries List-Unsubscribe.
// The box office resends the tickets, to a corrected address that the order then keeps.
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, expect, test } from 'vitest';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { suppress } from '../../server/recovery/recovery-db.ts';
import { instanceSecret } from '../../server/platform/db/secrets.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { emailHash } from '../../server/platform/signed-links.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { orderNotice } from '../../server/tickets/order-mail-job.ts';
import { ticketQrPayload } from '../../server/tickets/ticket-code.ts';
import { decodeQrPng } from '../support/qr-decode.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { bearer, SITE, world } from '../support/world.ts';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function mailWorld(settings: Record<string, unknown> = {}) {
  const w = await world({ settings, capacity: 10 });
  const smtp: TestSmtp = await startTestSmtp();
  const transport = createMailTransport(smtp.url);
  closers.push(
    () => smtp.close(),
    () => transport.close(),
  );
  const jobs = createRecoveryJobs({
    db: w.db,
    tx: writeTransactions(w.db),
    now: w.clock.now,
    transport,
    from: 'Encore <tickets@encore.test>',
    links: { secret: 'mail-secret', publicBaseUrl: 'https://tickets.encore.test', extraOrigins: [SITE] },
    log: () => {},
  });
  const { key } = await createApiKey(w.db, w.organizerId, 'desk', w.clock.now());
  const desk = (method: string, path: string, body?: unknown) => w.call(method, `/api/console/v1${path}`, body, bearer(key));
  const parsed: ParsedMail[] = [];
  /** Runs the queue until `n` messages in all have arrived; returns them parsed, oldest first. */
  async function mail(n: number) {
    // A round's housekeeping (the expiry) queues mail that the next round's drain sends.
    for (let i = 0; i < 3 && smtp.received.length < n; i++) {
      await jobs.runOnce();
      await smtp.waitFor(n, 1_000).catch(() => {});
    }
    await smtp.waitFor(n, 10_000);
    for (const r of smtp.received.slice(parsed.length)) parsed.push(await simpleParser(r.raw));
    return parsed;
  }
  async function reserve(email = 'anna@example.com', quantity = 2) {
    const cart = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity }] });
    const auth = bearer(cart.body.token);
    await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email, name: 'Анна Каренина' } }, auth);
    const done = await w.call('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, auth);
    expect(done.status).toBe(201);
    return done.body.order as { id: string; number: string; status: string; tickets: { code: string }[] };
  }
  return { w, smtp, jobs, desk, mail, reserve };
}

const header = (m: ParsedMail, name: string) => m.headers.get(name.toLowerCase());

test('a reservation is confirmed at once with its tickets, even to a buyer who unsubscribed from reminders; paying at the desk confirms again', async () => {
  const m = await mailWorld();
  await suppress(m.w.db, m.w.organizerId, emailHash('anna@example.com'), 'unsubscribe', m.w.clock.now().toISOString());
  const order = await m.reserve();
  expect(order.status).toBe('reserved');
  const [confirmation] = await m.mail(1);
  expect(m.smtp.received[0]!.to).toEqual(['anna@example.com']);
  expect(header(confirmation!, 'List-Unsubscribe')).toBeUndefined();
  expect(confirmation!.subject).toContain('Hamlet');
  expect(confirmation!.text).toContain(order.number);
  const files = confirmation!.attachments.map((a) => a.contentType.split(';')[0]);
  expect(files).toEqual(expect.arrayContaining(['application/pdf', 'text/calendar', 'image/png']));
  const ics = confirmation!.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8');
  expect(ics).toContain('BEGIN:VEVENT');
  // The QR codes in the mail are the tickets' payloads, signed with the instance's ticket secret.
  const secret = await instanceSecret(m.w.db, 'tickets');
  const qrs = confirmation!.attachments.filter((a) => a.contentType === 'image/png').map((a) => decodeQrPng(a.content));
  expect(qrs.sort()).toEqual(order.tickets.map((t) => ticketQrPayload(secret, t.code)).sort());

  expect((await m.desk('POST', `/orders/${order.id}/mark-paid`)).status).toBe(200);
  const mails = await m.mail(2);
  expect(mails[1]!.text).toContain(order.number);
  expect(mails[1]!.attachments.some((a) => a.contentType === 'application/pdf')).toBe(true);
  // Nothing more however often the queue runs: one mail per order and state.
  m.w.clock.advance(60);
  await m.jobs.runOnce();
  expect(m.smtp.received).toHaveLength(2);
});

test('a cancelled order, an expired reservation and a refund are each told once; an online order that ran out of time is not', async () => {
  const m = await mailWorld({ payments: { reservation: { hoursAfterBooking: 1, hoursBeforeShow: null } } });
  const cancelled = await m.reserve('cancel@example.com', 1);
  const expiring = await m.reserve('expire@example.com', 1);
  const refunded = await m.reserve('refund@example.com', 1);
  await m.mail(3);
  expect((await m.desk('POST', `/orders/${cancelled.id}/cancel`)).status).toBe(200);
  await m.desk('POST', `/orders/${refunded.id}/mark-paid`);
  await m.mail(5);
  expect((await m.desk('POST', `/orders/${refunded.id}/refunds`, {})).status).toBe(201);
  m.w.clock.advance(61);
  const all = await m.mail(7);
  const to = (address: string) => all.filter((x) => x.to && JSON.stringify(x.to).includes(address)).map((x) => x.attachments.length > 0);
  // The reservation (with tickets), then the notice (without).
  expect(to('cancel@example.com')).toEqual([true, false]);
  expect(to('expire@example.com')).toEqual([true, false]);
  // Reserved, paid at the desk (tickets again), refunded.
  expect(to('refund@example.com')).toEqual([true, true, false]);
  expect(all.every((x) => header(x, 'List-Unsubscribe') === undefined)).toBe(true);
  expect((await m.w.db.selectFrom('orders').select('status').where('id', '=', expiring.id).executeTakeFirstOrThrow()).status).toBe('expired');
  // An online order whose payment time ran out: the payment-abandonment reminders speak to it instead.
  expect(orderNotice('pending_payment', 'expired')).toBeNull();
  expect(orderNotice('pending_payment', 'paid')).toBe('confirmation');
});

test('the box office resends the tickets, to the same address or a corrected one that the order keeps', async () => {
  const m = await mailWorld();
  const order = await m.reserve('typo@exmaple.com', 1);
  await m.mail(1);
  expect((await m.desk('POST', `/orders/${order.id}/resend`, {})).status).toBe(202);
  const fixed = await m.desk('POST', `/orders/${order.id}/resend`, { email: 'Anna@Example.com' });
  expect(fixed.status).toBe(202);
  expect(fixed.body.order.buyer.email).toBe('anna@example.com');
  await m.mail(3);
  // Both resends were still queued when the address was corrected: both go to the corrected one
  // (tickets never go to an address the box office has corrected away).
  expect(m.smtp.received.map((r) => r.to[0])).toEqual(['typo@exmaple.com', 'anna@example.com', 'anna@example.com']);
  const history = (fixed.body.order.history as { action: string; details?: Record<string, unknown> }[]).map((e) => e.action);
  expect(history).toEqual(expect.arrayContaining(['confirmation_resent', 'email_changed']));
  expect((await m.desk('POST', `/orders/${order.id}/resend`, { email: 'not an address' })).body.error).toMatchObject({ code: 'VALIDATION', field: 'email' });
  await m.desk('POST', `/orders/${order.id}/cancel`);
  expect((await m.desk('POST', `/orders/${order.id}/resend`, {})).body.error).toMatchObject({ code: 'ORDER_STATE' });
});
