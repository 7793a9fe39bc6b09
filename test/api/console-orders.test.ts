// The box office's orders through the console API: search by each field, filters, keyset pages,
// one order in full, mark paid at the desk, cancel (seats back), CSV, another organizer's 404,
// and state moves that apply once however often or however concurrently they are asked for.
import type { Trx } from '../../server/platform/db/database.ts';
import { expect, test } from 'vitest';
import { listOrdersQuery, type OrderFilter } from '../../server/console/orders-db.ts';
import { cancelOrder, markOrderPaid } from '../../server/console/orders.ts';
import { type Client, consoleWorld, eventThroughApi } from '../support/console-world.ts';
import { queryPlans } from '../support/query-plans.ts';

type World = Awaited<ReturnType<typeof consoleWorld>>;

async function boxOffice() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const { client } = await w.signIn(a.email, a.password);
  const { key } = await w.apiKey(a.organizerId);
  const show = await eventThroughApi(client, w.clock, 'hamlet');
  const available = async (slug = 'hamlet') => (await w.request('GET', `/api/v1/events/${slug}`)).body.performances[0].ticketTypes[0].available as number;
  return { w, a, client, key, show, available };
}

/** A box-office order made as the organizer's own script makes one (API key, no Origin). */
async function order(
  w: World,
  key: string,
  o: { performanceId: string; ticketTypeId: string; quantity?: number; email: string; name: string; phone?: string },
) {
  const auth = { authorization: `Bearer ${key}` };
  const cart = await w.request(
    'POST',
    '/api/v1/carts',
    { performanceId: o.performanceId, items: [{ ticketTypeId: o.ticketTypeId, quantity: o.quantity ?? 1 }] },
    auth,
  );
  expect(cart.status).toBe(201);
  const token = { authorization: `Bearer ${cart.body.token}` };
  const patched = await w.request('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: o.email, name: o.name, phone: o.phone } }, token);
  expect(patched.status).toBe(200);
  const done = await w.request('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, token);
  expect(done.status).toBe(201);
  w.clock.advance(1);
  return done.body.order as { id: string; number: string; tickets: { code: string }[] };
}

test('search finds an order by number, email, name, phone and ticket code; filters narrow the list', async () => {
  const { w, client, key, show } = await boxOffice();
  const other = await eventThroughApi(client, w.clock, 'lear');
  const anna = await order(w, key, {
    performanceId: show.performance.id,
    ticketTypeId: show.ticketType.id,
    email: 'anna@example.com',
    name: 'Anna Karenina',
    phone: '+7 900 000-11-22',
    quantity: 2,
  });
  const boris = await order(w, key, {
    performanceId: other.performance.id,
    ticketTypeId: other.ticketType.id,
    email: 'boris@example.com',
    name: 'Борис Годунов',
  });

  const numbers = async (path: string) => {
    const res = await client('GET', path);
    expect(res.status, path).toBe(200);
    return (res.body.orders as { number: string }[]).map((o) => o.number);
  };
  expect(await numbers('/orders')).toEqual([boris.number, anna.number]);
  for (const q of [anna.number, anna.number.toLowerCase(), 'ANNA@example.com', 'anna kar', 'Anna', '+7 900 000-11-22', anna.tickets[1]!.code]) {
    expect(await numbers(`/orders?q=${encodeURIComponent(q)}`), q).toEqual([anna.number]);
  }
  // The name's start in any script and case; ё and е alike.
  for (const q of ['Борис', 'борис', 'БОРИС ГОД']) expect(await numbers(`/orders?q=${encodeURIComponent(q)}`), q).toEqual([boris.number]);
  expect(await numbers('/orders?q=nobody')).toEqual([]);

  expect(await numbers(`/orders?eventId=${other.event.id}`)).toEqual([boris.number]);
  expect(await numbers(`/orders?performanceId=${show.performance.id}`)).toEqual([anna.number]);
  expect(await numbers('/orders?status=reserved')).toEqual([boris.number, anna.number]);
  expect(await numbers('/orders?status=paid')).toEqual([]);
  expect(await numbers('/orders?paymentMethod=box_office')).toEqual([boris.number, anna.number]);
  const mid = new Date(w.clock.now().getTime() - 90_000).toISOString();
  expect(await numbers(`/orders?from=${mid}`)).toEqual([boris.number]);
  expect(await numbers(`/orders?to=${mid}`)).toEqual([anna.number]);
  expect(await numbers(`/orders?q=anna&eventId=${other.event.id}`)).toEqual([]);

  const bad = await client('GET', '/orders?status=lost&from=soon');
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'status']);
  const alena = await order(w, key, { performanceId: show.performance.id, ticketTypeId: show.ticketType.id, email: 'alena@example.com', name: 'Алёна Ёлкина' });
  for (const q of ['алена', 'Алёна ё', 'АЛЕНА ЕЛ']) expect(await numbers(`/orders?q=${encodeURIComponent(q)}`), q).toEqual([alena.number]);
});

test('keyset pages: every order once, newest first, however many pages', async () => {
  const { w, client, key, show } = await boxOffice();
  const made: string[] = [];
  for (let i = 0; i < 7; i++) {
    made.unshift(
      (await order(w, key, { performanceId: show.performance.id, ticketTypeId: show.ticketType.id, email: `b${i}@example.com`, name: `Buyer ${i}` })).number,
    );
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { orders: { number: string }[]; nextCursor: string | null } } = await client(
      'GET',
      `/orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.body.orders.length).toBeLessThanOrEqual(3);
    seen.push(...res.body.orders.map((o) => o.number));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual(made);
  expect((await client('GET', '/orders?cursor=nonsense')).body.error).toMatchObject({ code: 'VALIDATION', field: 'cursor' });
});

test('no list or search query scans orders or tickets', async () => {
  const { w, a, key, show } = await boxOffice();
  await order(w, key, { performanceId: show.performance.id, ticketTypeId: show.ticketType.id, email: 'anna@example.com', name: 'Anna' });
  const after = { createdAt: w.clock.now().toISOString(), id: 'ord_z' };
  const filters: OrderFilter[] = [
    {},
    { q: 'anna' },
    { q: 'anna', status: 'paid', createdFrom: '2026-01-01T00:00:00.000Z' },
    { eventId: show.event.id },
    { performanceId: show.performance.id, paymentMethod: 'box_office' },
    { status: 'reserved' },
    { createdFrom: '2026-01-01T00:00:00.000Z', createdTo: '2027-01-01T00:00:00.000Z' },
  ];
  const statements = new Map<string, readonly unknown[]>();
  for (const f of filters) {
    for (const cursor of [null, after]) {
      const q = listOrdersQuery(w.db, a.organizerId, f, cursor, 51).compile();
      statements.set(q.sql, q.parameters);
    }
  }
  for (const plan of await queryPlans(w.path, statements)) expect(plan.scans, `${plan.sql}\n${plan.detail.join('\n')}`).toEqual([]);
});

test('one order in full; mark paid at the desk; cancel gives the seats back; webhooks once each', async () => {
  const { w, client, key, show, available } = await boxOffice();
  await client('POST', '/webhooks', { url: 'https://crm.example/hook', events: ['order.paid', 'order.cancelled'] });
  expect(await available()).toBe(10);
  const made = await order(w, key, {
    performanceId: show.performance.id,
    ticketTypeId: show.ticketType.id,
    email: 'anna@example.com',
    name: 'Anna',
    quantity: 3,
  });
  expect(await available()).toBe(7);

  const detail = await client('GET', `/orders/${made.id}`);
  expect(detail.status).toBe(200);
  expect(detail.body.order).toMatchObject({
    number: made.number,
    status: 'reserved',
    paymentMethod: 'box_office',
    total: 450000,
    buyer: { email: 'anna@example.com', name: 'Anna', answers: {} },
    event: { id: show.event.id, slug: 'hamlet', timeZone: 'Europe/Moscow' },
    performance: { id: show.performance.id },
    payments: [],
  });
  expect(detail.body.order.tickets).toHaveLength(3);
  expect(detail.body.order.tickets[0]).toMatchObject({ name: 'Stalls', price: 150000 });

  const paid = await client('POST', `/orders/${made.id}/mark-paid`);
  expect(paid.status).toBe(200);
  expect(paid.body.order).toMatchObject({ status: 'paid', tickets: detail.body.order.tickets });
  const again = await client('POST', `/orders/${made.id}/mark-paid`);
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('ORDER_STATE');
  expect(await available()).toBe(7);

  // A paid order is not cancelled (that would keep the buyer's money): it is refunded.
  const notCancelled = await client('POST', `/orders/${made.id}/cancel`);
  expect(notCancelled.status).toBe(409);
  expect(notCancelled.body.error).toMatchObject({ code: 'ORDER_STATE', message: expect.stringContaining('refund it instead') });
  expect(await available()).toBe(7);

  const other = await order(w, key, {
    performanceId: show.performance.id,
    ticketTypeId: show.ticketType.id,
    email: 'boris@example.com',
    name: 'Boris',
    quantity: 2,
  });
  expect(await available()).toBe(5);
  const cancelled = await client('POST', `/orders/${other.id}/cancel`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.order.status).toBe('cancelled');
  expect(await available()).toBe(7);
  expect((await client('POST', `/orders/${other.id}/cancel`)).body.error.code).toBe('ORDER_STATE');
  expect((await client('POST', `/orders/${other.id}/mark-paid`)).status).toBe(409);
  expect(await available()).toBe(7);

  const sent = await w.db.selectFrom('webhook_deliveries').select('event_type').orderBy('due_at').execute();
  expect(sent.map((d) => d.event_type).sort()).toEqual(['order.cancelled', 'order.paid']);
});

test('a move applies once even when two requests read the order before either writes', async () => {
  const { w, a, client, key, show, available } = await boxOffice();
  await client('POST', '/webhooks', { url: 'https://crm.example/hook', events: ['order.paid', 'order.cancelled'] });
  const made = await order(w, key, {
    performanceId: show.performance.id,
    ticketTypeId: show.ticketType.id,
    email: 'anna@example.com',
    name: 'Anna',
    quantity: 2,
  });
  const now = w.clock.now();
  // Straight on the database, outside the write transaction that would serialise them: both read
  // `reserved`, and only the conditional update decides.
  const second = await order(w, key, {
    performanceId: show.performance.id,
    ticketTypeId: show.ticketType.id,
    email: 'boris@example.com',
    name: 'Boris',
    quantity: 2,
  });
  const twice = await Promise.allSettled([
    markOrderPaid(w.db as Trx, a.organizerId, made.id, now, 'test'),
    markOrderPaid(w.db as Trx, a.organizerId, made.id, now, 'test'),
  ]);
  expect(twice.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  const cancels = await Promise.allSettled([
    cancelOrder(w.db as Trx, a.organizerId, second.id, now, 'test'),
    cancelOrder(w.db as Trx, a.organizerId, second.id, now, 'test'),
  ]);
  expect(cancels.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  // The cancelled order's seats came back once: not 10 of 8.
  expect(await available()).toBe(8);
  const sent = await w.db.selectFrom('webhook_deliveries').select('event_type').execute();
  expect(sent.map((d) => d.event_type).sort()).toEqual(['order.cancelled', 'order.paid']);
});

test('another organizer sees none of it: list empty, every id 404', async () => {
  const { w, key, show } = await boxOffice();
  const made = await order(w, key, { performanceId: show.performance.id, ticketTypeId: show.ticketType.id, email: 'anna@example.com', name: 'Anna' });
  const b = await w.organizer('Elsewhere');
  for (const intruder of [(await w.signIn(b.email, b.password)).client, (await w.apiKey(b.organizerId)).client] as Client[]) {
    expect((await intruder('GET', '/orders')).body.orders).toEqual([]);
    expect((await intruder('GET', `/orders?q=${made.number}`)).body.orders).toEqual([]);
    expect((await intruder('GET', `/orders/${made.id}`, undefined, { accept: 'application/json' })).status).toBe(404);
    for (const [method, path] of [
      ['GET', `/orders/${made.id}`],
      ['POST', `/orders/${made.id}/mark-paid`],
      ['POST', `/orders/${made.id}/cancel`],
    ] as const) {
      const res = await intruder(method, path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  }
  const csv = await w.app.request('/api/console/v1/orders.csv', { headers: { authorization: `Bearer ${(await w.apiKey(b.organizerId)).key}` } });
  expect(await csv.text()).not.toContain(made.number);
  expect((await w.db.selectFrom('orders').select('status').where('id', '=', made.id).executeTakeFirstOrThrow()).status).toBe('reserved');
});

test('CSV: BOM, header, the same filters, RFC 4180 quoting and no formulas from buyers', async () => {
  const { w, key, show, a } = await boxOffice();
  const made = await order(w, key, {
    performanceId: show.performance.id,
    ticketTypeId: show.ticketType.id,
    email: 'eve@example.com',
    name: '=HYPERLINK("http://evil.example","click"), me',
    phone: '+7 900',
  });
  await order(w, key, { performanceId: show.performance.id, ticketTypeId: show.ticketType.id, email: 'bob@example.com', name: 'Bob' });
  const res = await w.app.request(`/api/console/v1/orders.csv?q=${made.number}`, {
    headers: { authorization: `Bearer ${(await w.apiKey(a.organizerId)).key}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="encore-orders-.*\.csv"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder()
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .split('\r\n');
  expect(lines[0]).toBe('number,created_at,status,payment_method,total_minor,currency,event,performance_starts_at,buyer_name,buyer_email,buyer_phone');
  expect(lines).toHaveLength(3); // header, the one order, the final line break
  expect(lines[1]).toBe(
    `${made.number},${lines[1]!.split(',')[1]},reserved,box_office,150000,RUB,Title of hamlet,${show.performance.startsAt},"'=HYPERLINK(""http://evil.example"",""click""), me",eve@example.com,'+7 900`,
  );
  expect(lines[2]).toBe('');
});
