// Promo codes: organizers make them in the console API; buyers type them into the cart; the
// server prices them, takes a use at checkout (never more than the limit, however many buyers
// check out at once) and refuses a code that stopped applying rather than charge another price.
// Reminders' codes are the same kind of code: single use, and typeable.
import { expect, test } from 'vitest';
import { findCode, listPromoCodes, offersPromoCodes, releaseDiscount, takeUse } from '../../server/sales/promo-codes-db.ts';
import { type Client, consoleWorld, eventThroughApi } from '../support/console-world.ts';
import { queryPlans, recordingDatabase } from '../support/query-plans.ts';

type World = Awaited<ReturnType<typeof consoleWorld>>;

async function shop() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const { client } = await w.signIn(a.email, a.password);
  const { key } = await w.apiKey(a.organizerId);
  const show = await eventThroughApi(client, w.clock, 'hamlet');
  return { w, a, client, key, show };
}

/** A cart of `quantity` Stalls tickets (150 000 each) with a buyer, made as the organizer's script does. */
async function cart(w: World, key: string, show: Awaited<ReturnType<typeof eventThroughApi>>, quantity = 2, performanceId = show.performance.id) {
  const created = await w.request(
    'POST',
    '/api/v1/carts',
    { performanceId, items: [{ ticketTypeId: show.ticketType.id, quantity }] },
    { authorization: `Bearer ${key}` },
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const auth = { authorization: `Bearer ${created.body.token}` };
  const patch = (body: unknown) => w.request('PATCH', `/api/v1/carts/${created.body.id}`, body, auth);
  const checkout = () => w.request('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  expect((await patch({ buyer: { email: 'anna@example.com', name: 'Anna' } })).status).toBe(200);
  return { id: created.body.id as string, patch, checkout };
}

const create = (client: Client, body: Record<string, unknown>) => client('POST', '/promo-codes', body);

test('an organizer makes codes: normalised, unique per organizer, checked, listed with their uses', async () => {
  const { w, client, show } = await shop();
  const made = await create(client, { code: ' spring 25 ', kind: 'percent', value: 25, eventId: show.event.id, maxUses: 100 });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  expect(made.body).toMatchObject({
    code: 'SPRING25',
    kind: 'percent',
    value: 25,
    eventId: show.event.id,
    maxUses: 100,
    usedCount: 0,
    active: true,
    currency: null,
  });

  expect((await create(client, { code: 'Spring25', kind: 'amount', value: 500 })).body.error).toMatchObject({ code: 'CODE_TAKEN', field: 'code' });
  expect((await create(client, { kind: 'percent', value: 120 })).body.error).toMatchObject({ code: 'VALIDATION', field: 'value' });
  expect((await create(client, { code: 'x', kind: 'percent', value: 10 })).body.error).toMatchObject({ code: 'VALIDATION', field: 'code' });
  expect((await create(client, { code: 'A<b>', kind: 'percent', value: 10 })).body.error).toMatchObject({ field: 'code' });
  expect((await create(client, { kind: 'percent', value: 10, startsAt: '2027-02-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z' })).body.error).toMatchObject({
    field: 'expiresAt',
  });
  expect((await create(client, { kind: 'percent', value: 10, eventId: 'evt_nope' })).body.error).toMatchObject({ code: 'NOT_FOUND', field: 'eventId' });

  // Made up when not given; an amount for all events takes the organizer's one currency.
  const generated = await create(client, { kind: 'amount', value: 30000 });
  expect(generated.body.code).toMatch(/^[0-9A-Z]{8}$/);
  expect(generated.body.currency).toBe('RUB');
  // A performance's code is of its event.
  const perf = await create(client, { code: 'PREMIERE', kind: 'percent', value: 10, performanceId: show.performance.id });
  expect(perf.body).toMatchObject({ eventId: show.event.id, performanceId: show.performance.id });

  const list = await client('GET', '/promo-codes');
  expect(list.body.promoCodes.map((c: { code: string }) => c.code)).toEqual(['PREMIERE', generated.body.code, 'SPRING25']);
  const page = await client('GET', '/promo-codes?limit=2');
  expect(page.body.promoCodes).toHaveLength(2);
  const rest = await client('GET', `/promo-codes?limit=2&cursor=${page.body.nextCursor}`);
  expect(rest.body.promoCodes.map((c: { code: string }) => c.code)).toEqual(['SPRING25']);
  expect(rest.body.nextCursor).toBeNull();

  const off = await client('PATCH', `/promo-codes/${made.body.id}`, { active: false, maxUses: 5, note: 'Spring mailing' });
  expect(off.body).toMatchObject({ active: false, maxUses: 5, note: 'Spring mailing', value: 25 });
  w.clock.advance(1);
});

test('a buyer types a code: the server prices it; codes that do not apply say why, on the field', async () => {
  const { w, client, key, show } = await shop();
  await create(client, { code: 'SPRING25', kind: 'percent', value: 25, eventId: show.event.id });
  await create(client, { code: 'MINUS500', kind: 'amount', value: 50000 });
  const later = await client('POST', `/events/${show.event.id}/performances`, { startsAt: new Date(w.clock.now().getTime() + 9 * 86_400_000).toISOString() });
  await create(client, { code: 'OTHERNIGHT', kind: 'percent', value: 50, performanceId: later.body.id });
  const soon = new Date(w.clock.now().getTime() + 3_600_000).toISOString();
  await create(client, { code: 'LATER', kind: 'percent', value: 50, startsAt: soon });
  await create(client, { code: 'OVER', kind: 'percent', value: 50, expiresAt: soon });
  const off = await create(client, { code: 'OFF', kind: 'percent', value: 50 });
  await client('PATCH', `/promo-codes/${off.body.id}`, { active: false });

  const c = await cart(w, key, show);
  const applied = await c.patch({ discountCode: 'spring25', items: [{ ticketTypeId: show.ticketType.id, quantity: 2, price: 1 }], total: 1 });
  expect(applied.status).toBe(200);
  expect(applied.body).toMatchObject({ subtotal: 300000, discount: { code: 'SPRING25', label: '25%', amount: 75000 }, total: 225000 });
  const amount = await c.patch({ discountCode: 'minus500' });
  expect(amount.body).toMatchObject({ discount: { code: 'MINUS500', amount: 50000 }, total: 250000 });

  const why = async (code: string) => {
    const res = await c.patch({ discountCode: code });
    expect(res.status, code).toBe(422);
    expect(res.body.error.field).toBe('discountCode');
    return res.body.error.code as string;
  };
  expect(await why('NOSUCH')).toBe('PROMO_CODE_INVALID');
  expect(await why('OTHERNIGHT')).toBe('PROMO_CODE_INVALID');
  expect(await why('OFF')).toBe('PROMO_CODE_INVALID');
  expect(await why('LATER')).toBe('PROMO_CODE_EXPIRED');
  // A refused code leaves the one applied before.
  expect((await c.patch({})).body.discount).toMatchObject({ code: 'MINUS500' });
  w.clock.advance(61);
  expect(await why('OVER')).toBe('PROMO_CODE_EXPIRED');

  const removed = await c.patch({ discountCode: null });
  expect(removed.body).toMatchObject({ discount: null, total: 300000 });
  expect((await c.patch({ discountCode: 'LATER' })).body.discount).toMatchObject({ code: 'LATER', amount: 150000 });
});

test('checkout takes a use; the limit holds with many buyers checking out at once', async () => {
  const { w, client, key, show } = await shop();
  const made = await create(client, { code: 'FIRST3', kind: 'percent', value: 10, maxUses: 3 });
  const carts = await Promise.all(Array.from({ length: 8 }, () => cart(w, key, show, 1)));
  for (const c of carts) expect((await c.patch({ discountCode: 'FIRST3' })).status).toBe(200);
  const results = await Promise.all(carts.map((c) => c.checkout()));
  const ok = results.filter((r) => r.status === 201);
  expect(ok).toHaveLength(3);
  for (const r of ok) expect(r.body.order).toMatchObject({ subtotal: 150000, discount: { code: 'FIRST3', amount: 15000 }, total: 135000 });
  for (const r of results.filter((r) => r.status !== 201)) expect(r.body.error).toMatchObject({ code: 'PROMO_CODE_USED_UP', field: 'discountCode' });
  expect((await client('GET', '/promo-codes')).body.promoCodes[0]).toMatchObject({ id: made.body.id, usedCount: 3 });
  // The refused buyers keep their carts and seats: without the code they buy at full price.
  const refused = carts[results.findIndex((r) => r.status !== 201)]!;
  expect((await refused.patch({ discountCode: null })).status).toBe(200);
  expect((await refused.checkout()).body.order).toMatchObject({ total: 150000, discount: null });
});

test('a code that stopped applying between cart and checkout is refused with the reason, not charged differently', async () => {
  const { w, client, key, show } = await shop();
  const ends = new Date(w.clock.now().getTime() + 5 * 60_000).toISOString();
  await create(client, { code: 'FLASH', kind: 'percent', value: 20, expiresAt: ends });
  const c = await cart(w, key, show, 1);
  expect((await c.patch({ discountCode: 'FLASH' })).body.total).toBe(120000);
  w.clock.advance(6 * 60);
  const refused = await c.checkout();
  expect(refused.status).toBe(422);
  expect(refused.body.error).toMatchObject({ code: 'PROMO_CODE_EXPIRED', field: 'discountCode' });
  expect(await w.db.selectFrom('orders').select('id').execute()).toHaveLength(0);
  // The cart's view already shows the price without it.
  expect((await c.patch({})).body).toMatchObject({ discount: null, total: 150000 });
});

test('a 100% code makes a free order, paid at once', async () => {
  const { w, client, key, show } = await shop();
  await create(client, { code: 'GUEST', kind: 'percent', value: 100, maxUses: 1 });
  const c = await cart(w, key, show, 2);
  await c.patch({ discountCode: 'GUEST' });
  const done = await c.checkout();
  expect(done.body.order).toMatchObject({ total: 0, status: 'paid', paymentMethod: 'free' });
});

test("a reminder's code is the same kind of code: typeable into another cart of its event, once", async () => {
  const { w, a, key, show } = await shop();
  const first = await cart(w, key, show, 1);
  const at = w.clock.now().toISOString();
  await w.db
    .insertInto('reminder_series')
    .values({
      id: 'rs_1',
      organizer_id: a.organizerId,
      event_id: show.event.id,
      performance_id: show.performance.id,
      cart_id: first.id,
      email: 'anna@example.com',
      email_hash: 'h',
      locale: 'en',
      abandoned_at: at,
      status: 'active',
      stop_reason: null,
      expires_at: new Date(w.clock.now().getTime() + 5 * 86_400_000).toISOString(),
      created_at: at,
    })
    .execute();
  await w.db
    .insertInto('discounts')
    .values({
      id: 'RABCDEFGH1',
      code: 'RABCDEFGH1',
      organizer_id: a.organizerId,
      kind: 'percent',
      value: 10,
      currency: null,
      event_id: show.event.id,
      performance_id: null,
      max_uses: 1,
      starts_at: null,
      expires_at: new Date(w.clock.now().getTime() + 86_400_000).toISOString(),
      note: null,
      series_id: 'rs_1',
      step: 0,
      created_at: at,
    })
    .execute();
  const typed = await cart(w, key, show, 1);
  expect((await typed.patch({ discountCode: 'rabcdefgh1' })).body.discount).toMatchObject({ code: 'RABCDEFGH1', amount: 15000 });
  expect((await typed.checkout()).status).toBe(201);
  const again = await cart(w, key, show, 1);
  expect((await again.patch({ discountCode: 'RABCDEFGH1' })).body.error).toMatchObject({ code: 'PROMO_CODE_USED_UP' });
});

test("codes are the organizer's own: another organizer cannot list, change or use them", async () => {
  const { w, client, key, show } = await shop();
  const made = await create(client, { code: 'OURS', kind: 'percent', value: 10 });
  const b = await w.organizer('Elsewhere');
  const other = await w.signIn(b.email, b.password);
  const { key: otherKey } = await w.apiKey(b.organizerId);
  const theirShow = await eventThroughApi(other.client, w.clock, 'lear');
  expect((await other.client('GET', '/promo-codes')).body.promoCodes).toEqual([]);
  expect((await other.client('PATCH', `/promo-codes/${made.body.id}`, { active: false })).status).toBe(404);
  expect((await other.client('POST', '/promo-codes', { kind: 'percent', value: 5, eventId: show.event.id })).body.error).toMatchObject({
    code: 'NOT_FOUND',
    field: 'eventId',
  });
  const theirs = await cart(w, otherKey, theirShow, 1);
  expect((await theirs.patch({ discountCode: 'OURS' })).body.error).toMatchObject({ code: 'PROMO_CODE_INVALID' });
  // The same text may be each organizer's own code.
  expect((await other.client('POST', '/promo-codes', { code: 'OURS', kind: 'percent', value: 50 })).status).toBe(201);
  const mine = await cart(w, key, show, 1);
  expect((await mine.patch({ discountCode: 'OURS' })).body.discount).toMatchObject({ amount: 15000 });
});

test('the widget offers a code field only when the organizer has a code that could apply', async () => {
  const { w, client, show } = await shop();
  const offered = async () => (await w.request('GET', '/api/v1/events/hamlet')).body.promoCodes as boolean;
  expect(await offered()).toBe(false);
  const other = await eventThroughApi(client, w.clock, 'lear');
  const made = await create(client, { code: 'LEARONLY', kind: 'percent', value: 10, eventId: other.event.id });
  expect(await offered()).toBe(false);
  // A code that starts tomorrow offers nothing yet.
  const later = await create(client, { code: 'TOMORROW', kind: 'percent', value: 10, startsAt: new Date(w.clock.now().getTime() + 86_400_000).toISOString() });
  expect(await offered()).toBe(false);
  await client('PATCH', `/promo-codes/${later.body.id}`, { active: false });
  const ours = await create(client, { code: 'HAMLET', kind: 'percent', value: 10, eventId: show.event.id, maxUses: 1 });
  expect(await offered()).toBe(true);
  await client('PATCH', `/promo-codes/${ours.body.id}`, { active: false });
  expect(await offered()).toBe(false);
  await client('PATCH', `/promo-codes/${made.body.id}`, { active: true });
  // Reminders that carry codes: a buyer may type one.
  const settings = await client('PATCH', '/settings', {
    recovery: { steps: [{ enabled: true, delayMinutes: 60, subject: {}, body: {}, discount: { kind: 'percent', value: 10, validDays: 3 } }] },
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  expect(await offered()).toBe(true);
});

test("every promo code query reads an index (reminders' codes grow with history; the organizer's list and the widget's question never walk them)", async () => {
  const { w, a, client, key, show } = await shop();
  const made = await create(client, { code: 'SPRING', kind: 'percent', value: 10 });
  const c = await cart(w, key, show, 1);
  await c.patch({ discountCode: 'SPRING' });
  const order = (await c.checkout()).body.order;
  const { db, statements } = recordingDatabase(w.path);
  const now = w.clock.now().toISOString();
  await findCode(db, a.organizerId, 'SPRING');
  await takeUse(db, made.body.id);
  await releaseDiscount(db, 'SPRING', order.id);
  await offersPromoCodes(db, a.organizerId, show.event.id, now);
  await listPromoCodes(db, a.organizerId, null, 10);
  await listPromoCodes(db, a.organizerId, { createdAt: now, id: 'pc_x' }, 10);
  await db.destroy();
  const plans = await queryPlans(w.path, statements);
  expect(plans).toHaveLength(6);
  for (const p of plans) {
    expect(p.scans, p.sql).toEqual([]);
    expect(p.detail.join(' '), p.sql).toMatch(/discounts_promo_codes|sqlite_autoindex_discounts|PRIMARY KEY|USING INDEX| using /);
  }
  expect(plans.filter((p) => /discounts_promo_codes/.test(p.detail.join(' ')))).toHaveLength(3);
});

test('an order cancelled before it was paid gives its use back; a paid one keeps it, refunded or not', async () => {
  const { w, client, key, show } = await shop();
  const made = await create(client, { code: 'ONCE', kind: 'percent', value: 10, maxUses: 1 });
  const uses = async () => (await client('GET', '/promo-codes')).body.promoCodes.find((c: { id: string }) => c.id === made.body.id).usedCount;
  const first = await cart(w, key, show, 1);
  await first.patch({ discountCode: 'ONCE' });
  const reserved = (await first.checkout()).body.order;
  expect(reserved.status).toBe('reserved');
  expect(await uses()).toBe(1);
  expect((await client('POST', `/orders/${reserved.id}/cancel`)).status).toBe(200);
  expect(await uses()).toBe(0);

  const second = await cart(w, key, show, 1);
  await second.patch({ discountCode: 'ONCE' });
  const paid = (await second.checkout()).body.order;
  expect((await client('POST', `/orders/${paid.id}/mark-paid`)).status).toBe(200);
  expect((await client('POST', `/orders/${paid.id}/refunds`, {})).status).toBe(201);
  expect(await uses()).toBe(1);
});
