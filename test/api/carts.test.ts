import { describe, expect, test } from 'vitest';
import { bearer, SITE, world } from '../support/world.ts';

async function buyerCart(w: Awaited<ReturnType<typeof world>>, quantity = 2) {
  const created = await w.call('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity }],
    pageUrl: `${SITE}/repertoire`,
  });
  expect(created.status).toBe(201);
  const auth = bearer(created.body.token);
  return { cart: created.body, auth };
}

async function available(w: Awaited<ReturnType<typeof world>>, ticketTypeId = w.standard) {
  const res = await w.call('GET', `/api/v1/events/${w.slug}`);
  return res.body.performances[0].ticketTypes.find((t: { id: string }) => t.id === ticketTypeId).available;
}

describe('bootstrap', () => {
  test('one request carries event, performances, prices, availability and settings; ETag gives 304', async () => {
    const w = await world({ capacity: 7 });
    const res = await w.call('GET', `/api/v1/events/${w.slug}`);
    expect(res.status).toBe(200);
    expect(res.body.event).toMatchObject({ slug: w.slug, title: 'Hamlet', timeZone: 'Europe/Moscow', currency: 'RUB' });
    expect(res.body.performances).toHaveLength(1);
    expect(res.body.performances[0]).toMatchObject({ id: w.performanceId, onSale: true });
    expect(res.body.performances[0].ticketTypes[0]).toMatchObject({ id: w.standard, name: 'Stalls', price: 150000, available: 7 });
    expect(res.body.settings).toMatchObject({ holdMinutes: 15, consentMode: 'opt-in' });
    expect(res.body.settings.consentText.ru).toBeTruthy();

    const etag = res.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await w.app.request(`/api/v1/events/${w.slug}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    await buyerCart(w, 1);
    const changed = await w.app.request(`/api/v1/events/${w.slug}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
  });

  test('unknown event is a 404 in the error shape', async () => {
    const w = await world();
    const res = await w.call('GET', '/api/v1/events/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('holds', () => {
  test('a cart holds seats: availability = capacity − sold − active holds', async () => {
    const w = await world({ capacity: 10 });
    const { cart } = await buyerCart(w, 3);
    expect(cart.id).toMatch(/^crt_[0-9A-HJKMNP-TV-Z]{10}[A-Za-z0-9_-]{22}$/);
    expect(cart.token.length).toBeGreaterThanOrEqual(43);
    expect(cart).toMatchObject({ status: 'open', holdActive: true, total: 450000, currency: 'RUB' });
    expect(Date.parse(cart.expiresAt) - w.clock.now().getTime()).toBe(15 * 60_000);
    expect(await available(w)).toBe(7);
  });

  test('an expired hold is released at once and re-held on activity if still free', async () => {
    const w = await world({ capacity: 4 });
    const { cart, auth } = await buyerCart(w, 3);
    w.clock.advance(16);
    expect(await available(w)).toBe(4);
    const read = await w.call('GET', `/api/v1/carts/${cart.id}`, undefined, auth);
    expect(read.body.holdActive).toBe(false);
    const touched = await w.call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { name: 'Anna' } }, auth);
    expect(touched.status).toBe(200);
    expect(touched.body.holdActive).toBe(true);
    expect(await available(w)).toBe(1);
  });

  test('activity extends a hold, but never beyond twice the hold time', async () => {
    const w = await world();
    const { cart, auth } = await buyerCart(w, 1);
    const start = w.clock.now().getTime();
    w.clock.advance(10);
    let res = await w.call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { name: 'Anna' } }, auth);
    expect(Date.parse(res.body.expiresAt) - start).toBe(25 * 60_000);
    w.clock.advance(10);
    res = await w.call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { name: 'Anna B' } }, auth);
    expect(Date.parse(res.body.expiresAt) - start).toBe(30 * 60_000);
  });

  test('sold out, max per order, sales closed and unknown ids are clear 4xx errors', async () => {
    const w = await world({ capacity: 3, maxPerOrder: 4 });
    await buyerCart(w, 3);
    const soldOut = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] });
    expect(soldOut.status).toBe(409);
    expect(soldOut.body.error).toMatchObject({ code: 'SOLD_OUT', field: 'items.0.quantity' });

    const tooMany = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.free, quantity: 5 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toMatchObject({ code: 'QUANTITY_LIMIT', field: 'items.0.quantity' });

    const unknownType = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: 'tt_nope', quantity: 1 }] });
    expect(unknownType.body.error).toMatchObject({ code: 'VALIDATION', field: 'items.0.ticketTypeId' });
    const unknownPerf = await w.call('POST', '/api/v1/carts', { performanceId: 'prf_nope', items: [] });
    expect(unknownPerf.status).toBe(404);
    expect(unknownPerf.body.error.field).toBe('performanceId');

    w.clock.advance(3 * 24 * 60);
    const closed = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.free, quantity: 1 }] });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('SALES_CLOSED');
  });

  test('changing items re-checks availability against other carts only', async () => {
    const w = await world({ capacity: 5 });
    const a = await buyerCart(w, 3);
    await buyerCart(w, 1);
    const grow = await w.call('PATCH', `/api/v1/carts/${a.cart.id}`, { items: [{ ticketTypeId: w.standard, quantity: 4 }] }, a.auth);
    expect(grow.status).toBe(200);
    const tooMuch = await w.call('PATCH', `/api/v1/carts/${a.cart.id}`, { items: [{ ticketTypeId: w.standard, quantity: 5 }] }, a.auth);
    expect(tooMuch.body.error).toMatchObject({ code: 'SOLD_OUT', message: 'Stalls: only 4 left' });
    const cleared = await w.call('PATCH', `/api/v1/carts/${a.cart.id}`, { items: [] }, a.auth);
    expect(cleared.body).toMatchObject({ items: [], holdActive: false, total: 0 });
    expect(await available(w)).toBe(4);
  });
});

describe('cart access and buyer details', () => {
  test('a cart is readable and writable only with its token', async () => {
    const w = await world();
    const { cart } = await buyerCart(w);
    expect((await w.call('GET', `/api/v1/carts/${cart.id}`)).status).toBe(401);
    expect((await w.call('GET', `/api/v1/carts/${cart.id}`, undefined, bearer('x'.repeat(43)))).status).toBe(401);
    expect((await w.call('PATCH', `/api/v1/carts/${cart.id}`, { consent: true }, bearer('wrong'))).status).toBe(401);
    expect((await w.call('GET', `/api/v1/carts/crt_unknown`, undefined, bearer(cart.token))).status).toBe(404);
    const ok = await w.call('GET', `/api/v1/carts/${cart.id}`, undefined, bearer(cart.token));
    expect(ok.status).toBe(200);
    expect(ok.body.token).toBeUndefined();
  });

  test('email is saved the moment it is sent, with consent and what the buyer saw', async () => {
    const w = await world();
    const { cart, auth } = await buyerCart(w);
    const bad = await w.call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: 'not-an-email' } }, auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION', field: 'buyer.email' });
    const res = await w.call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: ' Anna@Example.COM ' }, consent: true, locale: 'en' }, auth);
    expect(res.body.buyer.email).toBe('anna@example.com');
    expect(res.body.consent).toMatchObject({ given: true, text: 'Remind me by email if I do not finish buying (at most 3 emails)' });
    const row = await w.db.selectFrom('carts').selectAll().where('id', '=', cart.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ buyer_email: 'anna@example.com', consent: 1, consent_mode: 'opt-in', page_url: `${SITE}/repertoire`, locale: 'en' });
    expect(row.email_captured_at).toBe(w.clock.now().toISOString());
  });

  test('in notice mode the notice shown is stored when the email arrives', async () => {
    const w = await world({ settings: { consentMode: 'notice' } });
    const { cart, auth } = await buyerCart(w);
    const res = await w.call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: 'a@b.example' } }, auth);
    expect(res.body.consent.text).toMatch(/3 напоминания/);
  });
});

describe('checkout', () => {
  test('completes the cart into an order reserved for the box office, with tickets; prices come from the server', async () => {
    const w = await world({ capacity: 5, price: 150000 });
    const created = await w.call('POST', '/api/v1/carts', {
      performanceId: w.performanceId,
      items: [{ ticketTypeId: w.standard, quantity: 2, price: 1 }],
      total: 2,
    });
    const auth = bearer(created.body.token);
    const id = created.body.id;
    const noBuyer = await w.call('POST', `/api/v1/carts/${id}/checkout`, {}, auth);
    expect(noBuyer.body.error).toMatchObject({ code: 'BUYER_REQUIRED', field: 'buyer.email' });
    await w.call('PATCH', `/api/v1/carts/${id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
    const res = await w.call('POST', `/api/v1/carts/${id}/checkout`, { price: 0 }, auth);
    expect(res.status).toBe(201);
    expect(res.body.order).toMatchObject({ status: 'reserved', total: 300000, paymentMethod: 'box_office', currency: 'RUB' });
    expect(res.body.order.number).toMatch(/^E-[0-9A-Z]{7}$/);
    expect(res.body.order.tickets).toHaveLength(2);
    expect(new Set(res.body.order.tickets.map((t: { code: string }) => t.code)).size).toBe(2);
    expect(await available(w)).toBe(3);
    const after = await w.call('GET', `/api/v1/carts/${id}`, undefined, auth);
    expect(after.body).toMatchObject({ status: 'completed', orderId: res.body.order.id });
    const again = await w.call('POST', `/api/v1/carts/${id}/checkout`, {}, auth);
    expect(again.body.error.code).toBe('CART_COMPLETED');
    expect((await w.call('PATCH', `/api/v1/carts/${id}`, { consent: true }, auth)).body.error.code).toBe('CART_COMPLETED');
  });

  test('free tickets are paid without payment', async () => {
    const w = await world();
    const created = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.free, quantity: 2 }] });
    const auth = bearer(created.body.token);
    await w.call('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'b@example.com', name: 'Boris' } }, auth);
    const res = await w.call('POST', `/api/v1/carts/${created.body.id}/checkout`, undefined, auth);
    expect(res.body.order).toMatchObject({ total: 0, paymentMethod: 'free', status: 'paid' });
  });

  test('an expired hold still sells if the seats are free, and is HOLD_EXPIRED if they were taken', async () => {
    const w = await world({ capacity: 2 });
    const a = await buyerCart(w, 2);
    await w.call('PATCH', `/api/v1/carts/${a.cart.id}`, { buyer: { email: 'a@example.com', name: 'A' } }, a.auth);
    w.clock.advance(31);
    const b = await buyerCart(w, 1);
    const late = await w.call('POST', `/api/v1/carts/${a.cart.id}/checkout`, {}, a.auth);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'HOLD_EXPIRED', field: 'items.0.quantity' });

    await w.call('PATCH', `/api/v1/carts/${b.cart.id}`, { buyer: { email: 'b@example.com', name: 'B' } }, b.auth);
    w.clock.advance(40);
    const stillFree = await w.call('POST', `/api/v1/carts/${b.cart.id}/checkout`, {}, b.auth);
    expect(stillFree.status).toBe(201);
  });
});

test('the cart a create answers with is the cart read back', async () => {
  const w = await world({ maxPerOrder: 10 });
  const created = await w.call('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [
      { ticketTypeId: w.free, quantity: 1 },
      { ticketTypeId: w.standard, quantity: 3 },
    ],
  });
  expect(created.status).toBe(201);
  const { token, ...view } = created.body;
  const read = await w.call('GET', `/api/v1/carts/${view.id}`, undefined, bearer(token));
  expect(read.body).toEqual(view);
});
