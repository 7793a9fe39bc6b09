import { describe, expect, test } from 'vitest';
import { emailHash } from '../../server/platform/signed-links.ts';
import { bearer } from '../support/world.ts';
import { recoveryWorld, resumeTokenFrom } from '../support/recovery-world.ts';

const cartRow = (w: Awaited<ReturnType<typeof recoveryWorld>>, id: string) =>
  w.db.selectFrom('carts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const seriesRows = (w: Awaited<ReturnType<typeof recoveryWorld>>) => w.db.selectFrom('reminder_series').selectAll().execute();
const outboxRows = (w: Awaited<ReturnType<typeof recoveryWorld>>) => w.db.selectFrom('outbox').selectAll().orderBy('due_at').execute();

describe('when a cart counts as abandoned', () => {
  test('idle for the delay with email and consent: abandoned, one series, three steps queued', async () => {
    const w = await recoveryWorld({ startsInDays: 10, settings: { holdMinutes: 60 } });
    const cart = await w.leaveCart({ email: 'anna@example.com' });
    await w.after(29);
    expect((await cartRow(w, cart.id)).abandoned_at).toBeNull();
    await w.after(2);
    expect((await cartRow(w, cart.id)).abandoned_at).toBe('2026-12-01T09:30:00.000Z');
    const series = await seriesRows(w);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ email: 'anna@example.com', status: 'active', cart_id: cart.id });
    const due = (await outboxRows(w)).map((r) => [r.step, r.due_at]);
    expect(due).toEqual([
      [0, '2026-12-01T10:30:00.000Z'],
      [1, '2026-12-02T09:30:00.000Z'],
      [2, '2026-12-04T09:30:00.000Z'],
    ]);
  });

  test('a lapsed hold abandons the cart before the idle delay', async () => {
    const w = await recoveryWorld({ startsInDays: 10, settings: { holdMinutes: 15, recovery: { abandonAfterMinutes: 120 } } });
    const cart = await w.leaveCart({ email: 'anna@example.com' });
    await w.after(16);
    expect((await cartRow(w, cart.id)).abandoned_at).toBe('2026-12-01T09:15:00.000Z');
  });

  test('no consent, no email or an empty cart: counted or not, but never reminded', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    const noConsent = await w.leaveCart({ email: 'a@example.com', consent: false });
    const noEmail = await w.leaveCart({});
    const emptied = await w.leaveCart({ email: 'c@example.com' });
    await w.call('PATCH', `/api/v1/carts/${emptied.id}`, { items: [] }, emptied.auth);
    await w.after(31);
    expect((await cartRow(w, noConsent.id)).abandoned_at).not.toBeNull();
    expect((await cartRow(w, noEmail.id)).abandoned_at).not.toBeNull();
    expect((await cartRow(w, emptied.id)).abandoned_at).toBeNull();
    expect(await seriesRows(w)).toHaveLength(0);
  });

  test('notice mode reminds without a checkbox, because the buyer saw the notice', async () => {
    const w = await recoveryWorld({ startsInDays: 10, settings: { consentMode: 'notice' } });
    await w.leaveCart({ email: 'n@example.com', consent: false });
    await w.after(31);
    expect(await seriesRows(w)).toHaveLength(1);
  });

  test('a suppressed address, a buyer who already bought, closed sales and a sold-out show start no series', async () => {
    const w = await recoveryWorld({ startsInDays: 10, capacity: 4 });
    await w.db
      .insertInto('suppressions')
      .values({ organizer_id: w.organizerId, email_hash: emailHash('gone@example.com'), reason: 'unsubscribe', created_at: '2026-01-01T00:00:00.000Z' })
      .execute();
    await w.leaveCart({ email: 'gone@example.com', quantity: 1 });
    await w.leaveCart({ email: 'bought@example.com', quantity: 1 });
    const bought = await w.leaveCart({ email: 'bought@example.com', quantity: 1 });
    expect((await w.call('POST', `/api/v1/carts/${bought.id}/checkout`, {}, bought.auth)).status).toBe(201);
    await w.after(31);
    expect(await seriesRows(w)).toHaveLength(0);

    const soldOut = await recoveryWorld({ startsInDays: 10, capacity: 2 });
    await soldOut.leaveCart({ email: 'late@example.com', quantity: 2 });
    soldOut.clock.advance(20);
    const other = await soldOut.leaveCart({ email: 'fast@example.com', quantity: 2 });
    await soldOut.call('POST', `/api/v1/carts/${other.id}/checkout`, {}, other.auth);
    await soldOut.after(11);
    expect((await seriesRows(soldOut)).map((s) => s.email)).toEqual([]);

    // Box-office reservations would close 2 h before the show, before the cart could start: no such limit here.
    const closed = await recoveryWorld({ startsInDays: 0.05, settings: { payments: { reservation: { hoursBeforeShow: null } } } });
    await closed.leaveCart({ email: 'closing@example.com', quantity: 1 });
    await closed.after(45);
    expect(await seriesRows(closed)).toHaveLength(0);
  });

  test('one series per email per performance: three left carts, one series of reminders', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    await w.leaveCart({ email: 'same@example.com', quantity: 1 });
    await w.after(31);
    await w.leaveCart({ email: 'same@example.com', quantity: 2 });
    await w.after(31);
    const last = await w.leaveCart({ email: 'SAME@example.com', quantity: 3 });
    await w.after(31);
    const series = await seriesRows(w);
    expect(series).toHaveLength(1);
    expect(series[0]!.cart_id).toBe(last.id);
    expect(await outboxRows(w)).toHaveLength(3);
    await w.after(60 * 30);
    await w.jobs.runOnce();
    expect(w.inbox()).toHaveLength(2);
  });
});

describe('the schedule', () => {
  test('quiet hours in the event time zone move a reminder to the morning', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    w.clock.current = new Date('2026-12-01T17:10:00.000Z'); // 20:10 in Moscow
    await w.leaveCart({ email: 'evening@example.com' });
    await w.after(31); // abandoned 20:40; +1 h lands at 21:40, inside quiet hours
    expect((await outboxRows(w))[0]!.due_at).toBe('2026-12-02T06:00:00.000Z'); // 09:00 Moscow
    await w.after(120);
    expect(w.inbox()).toHaveLength(0);
    w.clock.current = new Date('2026-12-02T06:00:00.000Z');
    await w.jobs.runOnce();
    expect(w.inbox()).toHaveLength(1);
  });

  test('near the show a late step is pulled forward, and nothing goes out after sales close', async () => {
    const w = await recoveryWorld({ startsInDays: 2, settings: { holdMinutes: 60 } });
    await w.leaveCart({ email: 'soon@example.com' });
    await w.after(31);
    const rows = await outboxRows(w);
    // Sales close 2026-12-03T08:30Z; the 72 h step is pulled to two hours before.
    expect(rows.map((r) => r.due_at)).toEqual(['2026-12-01T10:30:00.000Z', '2026-12-02T09:30:00.000Z', '2026-12-03T06:30:00.000Z']);
    w.clock.current = new Date('2026-12-03T08:31:00.000Z');
    await w.jobs.runOnce();
    expect(w.inbox()).toHaveLength(0);
    expect((await outboxRows(w)).every((r) => r.status === 'cancelled')).toBe(true);
  });
});

describe('the reminder email', () => {
  test('carries the cart, a resume link to the page, and RFC 8058 one-click unsubscribe', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    await w.leaveCart({ email: 'anna@example.com' });
    await w.after(31);
    await w.after(60);
    const [mail] = w.inbox();
    expect(mail!.to).toEqual(['anna@example.com']);
    expect(mail!.subject).toContain('Hamlet');
    const header = (name: string) => mail!.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('list-unsubscribe')).toMatch(/^<https:\/\/tickets\.example\/u\/[^>]+>$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail!.text).toContain('https://theatre.example/repertoire?utm=x&encore_resume=');
    expect(mail!.html).toContain('tickets.example/u/');
    expect(mail!.text).toMatch(/3[\s,.]?000/);
    expect((await outboxRows(w))[0]).toMatchObject({ status: 'sent', message_id: expect.stringContaining('@encore') });
  });

  test('an XSS-laden event title stays text', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    const evil = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    await w.db.updateTable('events').set({ title: evil }).where('id', '=', w.eventId).execute();
    await w.db.updateTable('organizers').set({ name: evil }).where('id', '=', w.organizerId).execute();
    await w.leaveCart({ email: 'x@example.com' });
    await w.after(31);
    await w.after(60);
    const [mail] = w.inbox();
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.html).not.toMatch(/<img[^>]*onerror/i);
    expect(mail!.html).toContain('&lt;script&gt;');
    expect(mail!.subject).toContain(evil);
  });
});

describe('stopping', () => {
  test('a purchase stops the series: no further reminders', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    await w.leaveCart({ email: 'buyer@example.com' });
    await w.after(31);
    await w.after(60);
    expect(w.inbox()).toHaveLength(1);
    const fresh = await w.leaveCart({ email: 'buyer@example.com', quantity: 1 });
    expect((await w.call('POST', `/api/v1/carts/${fresh.id}/checkout`, {}, fresh.auth)).status).toBe(201);
    await w.after(60 * 24 * 4);
    expect(w.inbox()).toHaveLength(1);
    expect((await seriesRows(w))[0]).toMatchObject({ status: 'stopped', stop_reason: 'purchased' });
  });

  test('one-click unsubscribe POST works without cookies; GET only asks', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    await w.leaveCart({ email: 'unsub@example.com' });
    await w.after(91);
    const [mail] = w.inbox();
    const url = new URL(mail!.headers.find((h) => h.name.toLowerCase() === 'list-unsubscribe')!.value.slice(1, -1));
    const look = await w.app.request(url.pathname);
    expect(look.status).toBe(200);
    expect(await w.db.selectFrom('suppressions').selectAll().execute()).toHaveLength(0);
    const res = await w.app.request(url.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await w.db.selectFrom('suppressions').selectAll().execute()).toHaveLength(1);
    await w.after(60 * 24 * 4);
    expect(w.inbox()).toHaveLength(1);
    const forged = await w.app.request(`${url.pathname.slice(0, -2)}xx`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(forged.status).toBe(404);
  });
});

describe('the resume link', () => {
  test('restores the same cart with a fresh token, holds the seats, records the click; the order counts as recovered', async () => {
    const w = await recoveryWorld({ startsInDays: 10, capacity: 10 });
    const left = await w.leaveCart({ email: 'back@example.com', quantity: 3 });
    await w.after(91);
    const token = resumeTokenFrom(w.inbox()[0]!);
    const res = await w.call('POST', '/api/v1/resume', { token }, { origin: 'https://theatre.example' });
    expect(res.status).toBe(200);
    expect(res.body.resume).toMatchObject({ state: 'restored', unavailable: [], alternatives: [] });
    expect(res.body.cart).toMatchObject({ id: left.id, holdActive: true, total: 450000 });
    expect((await w.call('GET', `/api/v1/carts/${left.id}`, undefined, left.auth)).status).toBe(401);
    expect(await w.db.selectFrom('reminder_clicks').selectAll().execute()).toHaveLength(1);
    const auth = bearer(res.body.cart.token);
    const order = await w.call('POST', `/api/v1/carts/${left.id}/checkout`, {}, auth);
    expect(order.status).toBe(201);
    const row = await w.db.selectFrom('orders').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ recovered_via: 'link', cart_id: left.id });
    await w.after(60 * 24 * 4);
    expect(w.inbox()).toHaveLength(1);
  });

  test('used again: the click counts once per step, the link keeps working, and only the first browser gets the details back', async () => {
    const w = await recoveryWorld({ startsInDays: 10, capacity: 10 });
    const left = await w.leaveCart({ email: 'anna.karenina@example.com', quantity: 2 });
    await w.call('PATCH', `/api/v1/carts/${left.id}`, { buyer: { phone: '+7 912 000-11-22' } }, left.auth);
    await w.after(91);
    const token = resumeTokenFrom(w.inbox()[0]!);
    const phone = 'phone-device-0123456789';
    const laptop = 'laptop-device-0123456789';
    const first = await w.call('POST', '/api/v1/resume', { token, device: phone });
    expect(first.body.cart.buyer).toMatchObject({ email: 'anna.karenina@example.com', name: 'Anna', phone: '+7 912 000-11-22' });
    expect(first.body.resume.maskedEmail).toBeUndefined();
    const again = await w.call('POST', '/api/v1/resume', { token, device: phone });
    expect(again.body.cart.buyer.email).toBe('anna.karenina@example.com');
    // Another browser, or none named: the cart, but not whose it is.
    for (const device of [laptop, undefined]) {
      const other = await w.call('POST', '/api/v1/resume', { token, device });
      expect(other.status).toBe(200);
      expect(other.body.cart).toMatchObject({ id: left.id, holdActive: true, buyer: { email: null, name: null, phone: null, answers: {} } });
      expect(other.body.resume.maskedEmail).toBe('a***@example.com');
      expect(JSON.stringify(other.body)).not.toMatch(/karenina|000-11-22/);
    }
    // The first browser still gets them; four uses of step 1's link are one click.
    expect((await w.call('POST', '/api/v1/resume', { token, device: phone })).body.cart.buyer.name).toBe('Anna');
    expect(await w.db.selectFrom('reminder_clicks').selectAll().execute()).toHaveLength(1);
    // The laptop types the address again and buys.
    const taken = await w.call('POST', '/api/v1/resume', { token, device: laptop });
    const auth = bearer(taken.body.cart.token);
    expect((await w.call('PATCH', `/api/v1/carts/${left.id}`, { buyer: { email: 'anna.karenina@example.com', name: 'Anna K' } }, auth)).status).toBe(200);
    expect((await w.call('POST', `/api/v1/carts/${left.id}/checkout`, {}, auth)).status).toBe(201);
    const done = await w.call('POST', '/api/v1/resume', { token, device: laptop });
    expect(done.body.resume).toMatchObject({ state: 'completed', maskedEmail: 'a***@example.com' });
    expect(done.body.cart.buyer.email).toBeNull();
  });

  test('a first redemption that names no browser still keeps the details from everyone after it', async () => {
    const w = await recoveryWorld({ startsInDays: 10, capacity: 10 });
    await w.leaveCart({ email: 'anna.karenina@example.com', quantity: 1 });
    await w.after(91);
    const token = resumeTokenFrom(w.inbox()[0]!);
    expect((await w.call('POST', '/api/v1/resume', { token })).body.cart.buyer.email).toBe('anna.karenina@example.com');
    for (const device of [undefined, 'later-device-0123456789']) {
      const later = await w.call('POST', '/api/v1/resume', { token, device });
      expect(later.body.cart.buyer.email).toBeNull();
      expect(later.body.resume.maskedEmail).toBe('a***@example.com');
    }
  });

  test("a step's discount is applied once, computed by the server", async () => {
    const steps = [{ delayMinutes: 60, discount: { kind: 'percent', value: 10, validDays: 2 } }];
    const w = await recoveryWorld({ startsInDays: 10, price: 150000, settings: { recovery: { steps } } });
    await w.leaveCart({ email: 'deal@example.com', quantity: 2 });
    await w.after(91);
    const mail = w.inbox()[0]!;
    const res = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(mail) });
    expect(res.body.cart).toMatchObject({ subtotal: 300000, total: 270000, discount: { amount: 30000, label: '10%' } });
    // The link applies the discount: the email names it and asks for no code.
    expect(mail.text).toContain('10% off, applied when you return to your order');
    expect(mail.text).not.toContain(res.body.cart.discount.code);
    const order = await w.call('POST', `/api/v1/carts/${res.body.cart.id}/checkout`, {}, bearer(res.body.cart.token));
    expect(order.body.order).toMatchObject({ subtotal: 300000, total: 270000 });
    const again = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(mail) });
    expect(again.body.resume.state).toBe('completed');
  });

  test('seats gone: says which, holds what is left, offers the nearest other performances', async () => {
    const w = await recoveryWorld({ startsInDays: 10, capacity: 3 });
    const { newId } = await import('../../server/platform/ids.ts');
    const t0 = w.clock.now().getTime();
    const starts = (d: number) => new Date(t0 + d * 86_400_000).toISOString();
    for (const d of [12, 20]) {
      await w.db
        .insertInto('performances')
        .values({ id: newId('prf'), event_id: w.eventId, starts_at: starts(d), sales_close_at: starts(d - 0.1), sales_paused: 0, created_at: starts(0) })
        .execute();
    }
    await w.leaveCart({ email: 'slow@example.com', quantity: 3 });
    await w.after(91);
    const fast = await w.leaveCart({ email: 'fast@example.com', quantity: 2 });
    await w.call('POST', `/api/v1/carts/${fast.id}/checkout`, {}, fast.auth);
    const res = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(w.inbox()[0]!) });
    expect(res.body.resume.state).toBe('partly_unavailable');
    expect(res.body.resume.unavailable).toEqual([{ ticketTypeId: w.standard, name: 'Stalls', requested: 3, held: 1 }]);
    expect(res.body.resume.alternatives.map((a: { startsAt: string }) => a.startsAt)).toEqual([starts(12), starts(20)]);
    expect(res.body.cart.items[0].quantity).toBe(1);
  });

  test('a forged or expired link is a clear 4xx; a show that is over says so', async () => {
    const w = await recoveryWorld({ startsInDays: 10 });
    await w.leaveCart({ email: 'late@example.com' });
    await w.after(91);
    const token = resumeTokenFrom(w.inbox()[0]!);
    const forged = await w.call('POST', '/api/v1/resume', { token: `${token.slice(0, -3)}AAA` });
    expect(forged.body.error).toMatchObject({ code: 'RESUME_INVALID', field: 'token' });
    w.clock.advance(60 * 24 * 10);
    const over = await w.call('POST', '/api/v1/resume', { token });
    expect(over.status).toBe(410);
    expect(over.body.error.code).toBe('RESUME_EXPIRED');
  });
});

describe('attribution and retention', () => {
  test('an order within the attribution window after a reminder is recovered; after it, not', async () => {
    const w = await recoveryWorld({ startsInDays: 20 });
    await w.leaveCart({ email: 'window@example.com' });
    await w.after(91);
    w.clock.advance(60 * 24 * 2);
    const back = await w.leaveCart({ email: 'window@example.com', quantity: 1 });
    await w.call('POST', `/api/v1/carts/${back.id}/checkout`, {}, back.auth);
    expect((await w.db.selectFrom('orders').select('recovered_via').executeTakeFirstOrThrow()).recovered_via).toBe('window');

    const x = await recoveryWorld({ startsInDays: 20, settings: { recovery: { steps: [{ delayMinutes: 60 }], attributionDays: 7 } } });
    await x.leaveCart({ email: 'late@example.com' });
    await x.after(91);
    x.clock.advance(60 * 24 * 8);
    const late = await x.leaveCart({ email: 'late@example.com', quantity: 1 });
    await x.call('POST', `/api/v1/carts/${late.id}/checkout`, {}, late.auth);
    expect((await x.db.selectFrom('orders').select('recovered_via').executeTakeFirstOrThrow()).recovered_via).toBeNull();
  });

  test('buyer details of carts that never became orders are erased after retention; counts stay', async () => {
    const w = await recoveryWorld({ startsInDays: 60 });
    const left = await w.leaveCart({ email: 'old@example.com' });
    const bought = await w.leaveCart({ email: 'kept@example.com', quantity: 1 });
    await w.call('POST', `/api/v1/carts/${bought.id}/checkout`, {}, bought.auth);
    await w.after(31);
    const count = async () => {
      const r = await w.db
        .selectFrom('carts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('abandoned_at', 'is not', null)
        .where('email_captured_at', 'is not', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    };
    expect(await count()).toBe(1);
    await w.after(60 * 24 * 29);
    expect((await cartRow(w, left.id)).buyer_email).toBe('old@example.com');
    await w.after(60 * 24 * 2);
    const erased = await cartRow(w, left.id);
    expect(erased).toMatchObject({ buyer_email: null, buyer_name: null, buyer_phone: null });
    expect(erased.pii_erased_at).not.toBeNull();
    expect((await seriesRows(w))[0]!.email).toBeNull();
    expect(await count()).toBe(1);
    expect((await w.db.selectFrom('orders').select('buyer_email').executeTakeFirstOrThrow()).buyer_email).toBe('kept@example.com');
  });
});
