// Organizer B, signed in by cookie or by API key, reaches none of organizer A's things: every
// attempt by id is a 404 that says nothing about them, lists leave them out, and A's data is
// unchanged afterwards.
import { API_KEY_SCOPES } from '../../server/contracts/console.ts';
import { describe, expect, test } from 'vitest';
import { consoleWorld, eventThroughApi, type Client } from '../support/console-world.ts';

async function twoOrganizers() {
  const w = await consoleWorld();
  const a = await w.organizer('Alpha Theatre');
  const b = await w.organizer('Beta Theatre');
  const { client: asA } = await w.signIn(a.email, a.password);
  const fixture = await eventThroughApi(asA, w.clock, 'alpha-secret-play');
  await asA('PATCH', '/settings', { widget: { accentColor: '#aa0000' }, allowedOrigins: ['https://alpha.example'] });
  const aKey = await asA('POST', '/api-keys', { name: 'alpha key' });
  const before = await asA('GET', `/events/${fixture.event.id}`);
  const settingsBefore = await asA('GET', '/settings');
  return { w, a, b, asA, aKeyId: aKey.body.id as string, before: before.body, settingsBefore: settingsBefore.body, ...fixture };
}

const modes = [
  [
    'session cookie',
    async (w: Awaited<ReturnType<typeof consoleWorld>>, b: { email: string; password: string }) => (await w.signIn(b.email, b.password)).client,
  ],
  // Every scope: the key is refused by tenancy (404), not by what it may do (403).
  ['API key', async (w: Awaited<ReturnType<typeof consoleWorld>>, b: { organizerId: string }) => (await w.apiKey(b.organizerId, [...API_KEY_SCOPES])).client],
] as const;

describe.each(modes)('organizer B over %s', (_mode, clientFor) => {
  test("cannot read or change A's events, performances, ticket types, settings, keys or snippets", async () => {
    const t = await twoOrganizers();
    const asB: Client = await clientFor(t.w, t.b);
    const eventId = t.event.id;
    const performanceId = t.performance.id;
    const ticketTypeId = t.ticketType.id;
    const startsAt = new Date(t.w.clock.now().getTime() + 9 * 86_400_000).toISOString();

    const attempts: [string, string, unknown?][] = [
      ['GET', `/events/${eventId}`],
      ['PATCH', `/events/${eventId}`, { title: 'Hijacked' }],
      ['POST', `/events/${eventId}/performances`, { startsAt }],
      ['POST', `/events/${eventId}/ticket-types`, { name: 'Free', price: 0, capacity: 999, minPerOrder: 1, maxPerOrder: 10 }],
      ['PATCH', `/performances/${performanceId}`, { salesPaused: true }],
      ['POST', `/performances/${performanceId}/duplicate`, { startsAt }],
      ['PATCH', `/ticket-types/${ticketTypeId}`, { price: 1, capacity: 0 }],
      ['GET', `/snippet?event=${t.event.slug}`],
      ['DELETE', `/api-keys/${t.aKeyId}`],
      ['GET', `/stats?eventId=${eventId}`],
      ['GET', `/stats?eventId=${eventId}&format=csv`],
    ];
    // A's promo code, people and an order (reserved at the box office).
    const code = await t.asA('POST', '/promo-codes', { code: 'ALPHA10', kind: 'percent', value: 10 });
    const aUser = (await t.asA('GET', '/users')).body.users[0];
    const cart = await t.w.request('POST', '/api/v1/carts', { performanceId, items: [{ ticketTypeId, quantity: 1 }] });
    const auth = { authorization: `Bearer ${cart.body.token}` };
    await t.w.request('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'alpha-buyer@example.com', name: 'Alpha Buyer' } }, auth);
    const order = (await t.w.request('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, auth)).body.order;
    expect(order.status).toBe('reserved');
    const eventBefore = (await t.asA('GET', `/events/${eventId}`)).body;
    attempts.push(
      ['PATCH', `/promo-codes/${code.body.id}`, { active: false }],
      ['PATCH', `/users/${aUser.id}`, { role: 'box_office' }],
      ['DELETE', `/users/${aUser.id}`],
      ['GET', `/orders/${order.id}`],
      ['GET', `/orders/${order.id}/history`],
      ['POST', `/orders/${order.id}/mark-paid`],
      ['POST', `/orders/${order.id}/cancel`],
      ['POST', `/orders/${order.id}/refunds`, { amount: 1 }],
    );
    const hook = await t.asA('POST', '/webhooks', { url: 'https://hooks.alpha.example/encore', events: ['order.completed'] });
    expect(hook.status).toBe(201);
    attempts.push(['GET', `/webhooks/${hook.body.endpoint.id}/secret`], ['DELETE', `/webhooks/${hook.body.endpoint.id}`]);
    for (const [method, path, body] of attempts) {
      const res = await asB(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toMatch(/Title of|alpha|Stalls/i);
    }

    // Lists and B's own settings show only B's things.
    expect((await asB('GET', '/events')).body.events).toEqual([]);
    expect((await asB('GET', '/promo-codes')).body.promoCodes).toEqual([]);
    expect((await asB('GET', '/orders')).body.orders).toEqual([]);
    expect((await asB('GET', `/orders?q=${order.number}`)).body.orders).toEqual([]);
    // (Over an API key there is no signed-in user; over a cookie, B alone.)
    expect((await asB('GET', '/users')).body.users.map((u: { email: string }) => u.email)).not.toContain(t.a.email);
    expect((await asB('GET', '/webhooks')).body.endpoints).toEqual([]);
    const bStats = await asB('GET', '/stats');
    expect(bStats.status).toBe(200);
    expect(bStats.body.byEvent).toEqual([]);
    expect(bStats.body.totals.cartsStarted).toBe(0);
    expect((await asB('GET', '/api-keys')).body.apiKeys.map((k: { name: string }) => k.name)).not.toContain('alpha key');
    const bSettings = await asB('GET', '/settings');
    expect(bSettings.body.widget.accentColor).toBe('#8b1e3f');
    expect(bSettings.body.allowedOrigins).not.toContain('https://alpha.example');
    expect((await asB('PATCH', '/settings', { widget: { accentColor: '#00bb00' }, allowedOrigins: ['https://beta.example'] })).status).toBe(200);
    const me = await asB('GET', '/me');
    expect(me.body.organizer.id).toBe(t.b.organizerId);

    // B's event with a fresh slug is B's; A's slug stays A's.
    expect((await asB('POST', '/events', { slug: t.event.slug, title: 'Copy', timeZone: 'UTC', currency: 'EUR' })).body.error.code).toBe('SLUG_TAKEN');

    // A sees everything as it was.
    expect((await t.asA('GET', `/events/${eventId}`)).body).toEqual(eventBefore);
    expect((await t.asA('GET', '/settings')).body).toEqual(t.settingsBefore);
    expect((await t.asA('GET', '/api-keys')).body.apiKeys[0].revokedAt).toBeNull();
    expect((await t.asA('GET', '/events')).body.events).toHaveLength(1);
    expect((await t.asA('GET', '/webhooks')).body.endpoints).toHaveLength(1);
    expect((await t.asA('GET', '/promo-codes')).body.promoCodes[0]).toMatchObject({ code: 'ALPHA10', active: true });
    expect((await t.asA('GET', '/users')).body.users).toEqual([aUser]);
    expect((await t.asA('GET', `/orders/${order.id}`)).body.order).toMatchObject({ status: 'reserved' });
  });
});
