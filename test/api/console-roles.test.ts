// Roles: a `box_office` user reaches the orders (list, CSV, one order, mark paid, cancel), reads
// the events for the filters, and nothing else: catalogue changes, settings, API keys, webhooks,
// stats and recovery are 403 FORBIDDEN. Owners, and API keys, reach everything as before.
import { expect, test } from 'vitest';
import { createUser } from '../../server/console/accounts.ts';
import { consoleWorld, eventThroughApi } from '../support/console-world.ts';

test('a box office user works the orders and reaches nothing else; the owner still reaches all', async () => {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const owner = (await w.signIn(a.email, a.password)).client;
  const { key } = await w.apiKey(a.organizerId);
  const show = await eventThroughApi(owner, w.clock, 'hamlet');
  await createUser(
    w.db,
    a.organizerId,
    { email: 'cashier@theatre.example', password: 'cashier-password-1', name: 'Cashier', locale: 'ru', role: 'box_office' },
    w.clock.now(),
  );
  const signedIn = await w.signIn('cashier@theatre.example', 'cashier-password-1');
  expect(signedIn.session.user).toMatchObject({ email: 'cashier@theatre.example', role: 'box_office' });
  const cashier = signedIn.client;
  expect((await cashier('GET', '/me')).body.user.role).toBe('box_office');
  expect((await owner('GET', '/me')).body.user.role).toBe('owner');

  const auth = { authorization: `Bearer ${key}` };
  const cart = await w.request(
    'POST',
    '/api/v1/carts',
    { performanceId: show.performance.id, items: [{ ticketTypeId: show.ticketType.id, quantity: 1 }] },
    auth,
  );
  const token = { authorization: `Bearer ${cart.body.token}` };
  await w.request('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, token);
  const order = (await w.request('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, token)).body.order;

  for (const [method, path] of [
    ['GET', '/orders'],
    ['GET', `/orders?q=${order.number}`],
    ['GET', `/orders/${order.id}`],
    ['GET', '/events'],
    ['GET', `/events/${show.event.id}`],
    ['POST', `/orders/${order.id}/mark-paid`],
  ] as const) {
    expect((await cashier(method, path)).status, `${method} ${path}`).toBe(200);
  }
  const csv = await w.app.request('/api/console/v1/orders.csv', { headers: { cookie: signedIn.cookie } });
  expect(csv.status).toBe(200);

  const refused: [string, string, unknown?][] = [
    ['PATCH', `/events/${show.event.id}`, { title: 'Renamed' }],
    ['POST', '/events', { slug: 'lear', title: 'Lear', timeZone: 'UTC', currency: 'EUR' }],
    ['DELETE', `/events/${show.event.id}`],
    ['PATCH', `/performances/${show.performance.id}`, { salesPaused: true }],
    ['POST', `/events/${show.event.id}/ticket-types`, { name: 'X', price: 1, capacity: 1 }],
    ['GET', '/settings'],
    ['PATCH', '/settings', { allowedOrigins: ['https://evil.example'] }],
    ['GET', '/api-keys'],
    ['POST', '/api-keys', { name: 'mine' }],
    ['GET', '/webhooks'],
    ['POST', '/webhooks', { url: 'https://evil.example/hook', events: ['order.paid'] }],
    ['GET', '/stats'],
    ['GET', '/snippet?event=hamlet'],
    ['POST', '/recovery/preview', { step: 0, locale: 'ru' }],
  ];
  for (const [method, path, body] of refused) {
    const res = await cashier(method, path, body);
    expect(res.status, `${method} ${path}`).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  }
  expect((await owner('GET', `/events/${show.event.id}`)).body.event.title).toBe('Title of hamlet');
  expect((await owner('GET', '/api-keys')).body.apiKeys).toHaveLength(1);

  // The box office can still sign out; owners and API keys reach what they did.
  expect((await cashier('POST', `/orders/${order.id}/refunds`, {})).status).toBe(201);
  expect((await cashier('DELETE', '/session')).status).toBeLessThan(300);
  for (const client of [owner, (await w.apiKey(a.organizerId)).client]) {
    expect((await client('GET', '/settings')).status).toBe(200);
    expect((await client('GET', '/webhooks')).status).toBe(200);
  }
});
