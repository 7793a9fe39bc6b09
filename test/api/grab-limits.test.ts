// No free seat grabbing, through the HTTP surface: one address gets at most its documented
// share of a performance however many carts it opens and however fast; the control runs the
// same grab with the limits off and takes the whole performance. Scripts without an Origin
// need the organizer's API key; the rate of cart creations and checkouts is counted per window.
import { expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { ConfigError, loadConfig } from '../../server/platform/config.ts';
import { DEFAULT_CLIENT_LIMITS, type ClientLimits, type GrabGuard } from '../../server/platform/config.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { queryPlans, readsIndex, readsWhole, recordingDatabase } from '../support/query-plans.ts';
import { testEngine } from '../support/databases.ts';
import { Clock, freshDatabase, makeEvent, SITE } from '../support/world.ts';

async function guarded(limits: Partial<ClientLimits> = {}, o: { trustProxy?: number; capacity?: number } = {}) {
  const clock = new Clock();
  const { db } = await freshDatabase();
  const fx = await makeEvent(db, clock.now(), { capacity: o.capacity ?? 200, maxPerOrder: 6 });
  const grab: GrabGuard = { limits: { ...DEFAULT_CLIENT_LIMITS, ...limits }, trustProxy: o.trustProxy ?? 0 };
  const app = createApp({ db, now: clock.now, secret: 'grab-test-secret', grab, log: () => {} });
  /** A request from `address` (as the socket's peer), from the theatre's site unless headers say otherwise. */
  const call = async (address: string, method: string, path: string, body?: unknown, headers: Record<string, string | undefined> = {}) => {
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries({ 'content-type': 'application/json', origin: SITE, ...headers })) if (v !== undefined) all[k] = v;
    const res = await app.request(
      path,
      { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) },
      { incoming: { socket: { remoteAddress: address } } },
    );
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  const create = (address: string, quantity: number, headers: Record<string, string | undefined> = {}) =>
    call(address, 'POST', '/api/v1/carts', { performanceId: fx.performanceId, items: [{ ticketTypeId: fx.standard, quantity }] }, headers);
  /** Seats in holds live now (a lapsed hold stops counting at once, released or not). */
  const held = async () => {
    const row = await db
      .selectFrom('holds')
      .select((eb) => eb.fn.sum<number>('quantity').as('n'))
      .where('performance_id', '=', fx.performanceId)
      .where('expires_at', '>', clock.now().toISOString())
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  return { db, clock, fx, call, create, held };
}

/** One address opens 40 carts of 5 seats at once, then tries to grow each to 6. */
async function grab(limits: Partial<ClientLimits>) {
  const g = await guarded(limits);
  const created = await Promise.all(Array.from({ length: 40 }, () => g.create('203.0.113.7', 5)));
  const carts = created.filter((r) => r.status === 201).map((r) => r.body);
  await Promise.all(
    carts.map((cart) =>
      g.call(
        '203.0.113.7',
        'PATCH',
        `/api/v1/carts/${cart.id}`,
        { items: [{ ticketTypeId: g.fx.standard, quantity: 6 }] },
        { authorization: `Bearer ${cart.token}` },
      ),
    ),
  );
  return { ...g, created, carts, seats: await g.held() };
}

test('one address gets at most its share of a performance, however many carts it opens at once', async () => {
  const g = await grab({});
  expect(g.carts.length).toBeLessThanOrEqual(DEFAULT_CLIENT_LIMITS.openCarts);
  expect(g.seats).toBeLessThanOrEqual(DEFAULT_CLIENT_LIMITS.heldSeats);
  expect(g.seats).toBeGreaterThan(0);
  const refused = g.created.find((r) => r.status !== 201)!;
  expect(refused.status).toBe(429);
  expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_HOLDS', field: 'items' });
  expect(refused.body.error.message).toMatch(/At most 4 carts/);
  // Everyone else still buys.
  expect((await g.create('198.51.100.20', 6)).status).toBe(201);
  // A lapsed hold frees the share: the same address may hold again.
  g.clock.advance(16);
  expect((await g.create('203.0.113.7', 5)).status).toBe(201);
});

test('control: with the limits off the same address takes the whole performance', async () => {
  const g = await grab({ openCarts: Infinity, heldSeats: Infinity, rate: Infinity });
  console.info(`without the limits one address held ${g.seats} of 200 seats`);
  expect(g.seats).toBe(200);
});

test('held seats are capped across carts, on update and when a lapsed hold is taken again', async () => {
  const g = await guarded();
  const auth = (cart: { token: string }) => ({ authorization: `Bearer ${cart.token}` });
  const a = (await g.create('203.0.113.7', 6)).body;
  const b = (await g.create('203.0.113.7', 6)).body;
  const c = (await g.create('203.0.113.7', 6)).body;
  const over = await g.create('203.0.113.7', 3);
  expect(over.status).toBe(429);
  expect(over.body.error.message).toMatch(/At most 20 tickets held.*18 held/);
  const d = (await g.create('203.0.113.7', 2)).body;
  // Growing a cart past the share is refused; shrinking then growing within it is fine.
  const items = (n: number) => ({ items: [{ ticketTypeId: g.fx.standard, quantity: n }] });
  expect((await g.call('203.0.113.7', 'PATCH', `/api/v1/carts/${a.id}`, items(1), auth(a))).status).toBe(200);
  expect((await g.call('203.0.113.7', 'PATCH', `/api/v1/carts/${d.id}`, items(6), auth(d))).status).toBe(200);
  expect((await g.call('203.0.113.7', 'PATCH', `/api/v1/carts/${b.id}`, items(5), auth(b))).status).toBe(200);
  // The cart token speaks for the client that made the cart, whatever address it comes from now.
  const grown = await g.call('192.0.2.99', 'PATCH', `/api/v1/carts/${a.id}`, items(6), auth(a));
  expect(grown.status).toBe(429);
  expect(grown.body.error.code).toBe('TOO_MANY_HOLDS');
  // A cart whose hold lapsed is held again only within the share.
  g.clock.advance(16);
  const fresh = [await g.create('203.0.113.7', 6), await g.create('203.0.113.7', 6), await g.create('203.0.113.7', 6)];
  expect(fresh.map((r) => r.status)).toEqual([201, 201, 201]);
  const touched = await g.call('203.0.113.7', 'PATCH', `/api/v1/carts/${c.id}`, { buyer: { email: 'grab@example.com' } }, auth(c));
  expect(touched.status).toBe(200);
  expect(touched.body.holdActive).toBe(false);
  expect(await g.held()).toBe(18);
});

test('cart creations and checkouts are rate limited per address, with Retry-After, and old windows go', async () => {
  const g = await guarded({ rate: 5, openCarts: 100, heldSeats: 1000 });
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await g.create('203.0.113.7', 1)).status);
  expect(statuses).toEqual([201, 201, 201, 201, 201]);
  g.clock.advance(0.5);
  const limited = await g.create('203.0.113.7', 1);
  expect(limited.status).toBe(429);
  expect(limited.body.error.code).toBe('RATE_LIMITED');
  expect(limited.headers.get('retry-after')).toBe('30');
  expect((await g.create('198.51.100.20', 1)).status).toBe(201);

  // Checkouts count too: four carts made in the next window, then the fifth use is a checkout.
  g.clock.advance(1);
  const carts = [];
  for (let i = 0; i < 4; i++) carts.push((await g.create('203.0.113.7', 1)).body);
  const checkout = (cart: { id: string; token: string }) =>
    g.call(
      '203.0.113.7',
      'POST',
      `/api/v1/carts/${cart.id}/checkout`,
      { buyer: { email: 'a@example.com', name: 'A' } },
      { authorization: `Bearer ${cart.token}` },
    );
  await g.call(
    '203.0.113.7',
    'PATCH',
    `/api/v1/carts/${carts[0].id}`,
    { buyer: { email: 'a@example.com', name: 'A' } },
    { authorization: `Bearer ${carts[0].token}` },
  );
  await g.call(
    '203.0.113.7',
    'PATCH',
    `/api/v1/carts/${carts[1].id}`,
    { buyer: { email: 'a@example.com', name: 'A' } },
    { authorization: `Bearer ${carts[1].token}` },
  );
  expect((await checkout(carts[0])).status).toBe(201);
  const refused = await checkout(carts[1]);
  expect(refused.status).toBe(429);
  expect(refused.body.error.code).toBe('RATE_LIMITED');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

  // Nothing grows with history: each use deletes windows that have ended.
  for (let i = 0; i < 30; i++) {
    g.clock.advance(1);
    await g.create(`192.0.2.${i}`, 1);
  }
  const rows = await g.db.selectFrom('client_rates').select(['window_start']).execute();
  expect(rows.length).toBeLessThanOrEqual(1);
});

test('a cart without an Origin needs the organizer’s API key; another organizer’s key is refused', async () => {
  const g = await guarded();
  const noOrigin = await g.create('203.0.113.7', 1, { origin: undefined });
  expect(noOrigin.status).toBe(401);
  expect(noOrigin.body.error).toMatchObject({ code: 'API_KEY_REQUIRED', field: 'Authorization' });
  const wrong = await g.create('203.0.113.7', 1, { origin: undefined, authorization: 'Bearer ek_not-a-key' });
  expect(wrong.status).toBe(401);

  const { key } = await createApiKey(g.db, g.fx.organizerId, 'box office', g.clock.now());
  const other = await makeEvent(g.db, g.clock.now());
  const { key: otherKey } = await createApiKey(g.db, other.organizerId, 'theirs', g.clock.now());
  const foreign = await g.create('203.0.113.7', 1, { origin: undefined, authorization: `Bearer ${otherKey}` });
  expect(foreign.status).toBe(403);
  expect(foreign.body.error).toMatchObject({ code: 'API_KEY_NOT_ALLOWED', field: 'Authorization' });

  // The organizer's own key: its box office may sell a group beyond a visitor's share.
  const keyed = [];
  for (let i = 0; i < 6; i++) keyed.push((await g.create('203.0.113.7', 6, { origin: undefined, authorization: `Bearer ${key}` })).status);
  expect(keyed).toEqual([201, 201, 201, 201, 201, 201]);
  // A browser on a site not allowed is still refused, key or not.
  expect((await g.create('203.0.113.7', 1, { origin: 'https://evil.example' })).status).toBe(403);
});

test('X-Forwarded-For is ignored unless TRUST_PROXY says how many proxies append to it', async () => {
  const direct = await guarded({ openCarts: 1 });
  expect((await direct.create('203.0.113.7', 1, { 'x-forwarded-for': '10.0.0.1' })).status).toBe(201);
  expect((await direct.create('203.0.113.7', 1, { 'x-forwarded-for': '10.0.0.2' })).status).toBe(429);

  const proxied = await guarded({ openCarts: 1 }, { trustProxy: 1 });
  // Behind one proxy the client is the last address it appended; what the client sent before it is not believed.
  expect((await proxied.create('127.0.0.1', 1, { 'x-forwarded-for': '10.0.0.1, 198.51.100.1' })).status).toBe(201);
  expect((await proxied.create('127.0.0.1', 1, { 'x-forwarded-for': '10.0.0.2, 198.51.100.1' })).status).toBe(429);
  expect((await proxied.create('127.0.0.1', 1, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(201);
});

test('the limits read only live holds and ended windows through their indexes: no scan of carts or of the rates', async () => {
  const clock = new Clock();
  const fresh = await freshDatabase();
  const fx = await makeEvent(fresh.db, clock.now(), { capacity: 100 });
  await fresh.db.destroy();
  const { db, statements } = recordingDatabase(fresh.path);
  const app = createApp({ db, now: clock.now, secret: 's', grab: { limits: DEFAULT_CLIENT_LIMITS, trustProxy: 0 }, log: () => {} });
  const env = { incoming: { socket: { remoteAddress: '203.0.113.7' } } };
  const send = (method: string, path: string, body: unknown, token?: string) =>
    app.request(
      path,
      {
        method,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', origin: SITE, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      env,
    );
  const items = (n: number) => ({ items: [{ ticketTypeId: fx.standard, quantity: n }] });
  const cart = await (await send('POST', '/api/v1/carts', { performanceId: fx.performanceId, ...items(2) })).json();
  await send('PATCH', `/api/v1/carts/${cart.id}`, { ...items(3), buyer: { email: 'a@example.com', name: 'A' } }, cart.token);
  clock.advance(2);
  expect((await send('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.token)).status).toBe(201);
  await db.destroy();

  const plans = await queryPlans(fresh.path, statements);
  const ours = plans.filter((p) => /client_hash|client_rates/.test(p.sql) && !/^\s*insert into "carts"/i.test(p.sql));
  expect(ours.length).toBeGreaterThanOrEqual(3);
  for (const p of ours) {
    expect(p.scans, p.sql).toEqual([]);
    expect(
      p.detail.filter((d) => readsWhole('carts|client_rates').test(d)),
      `${p.sql}\n${p.detail.join('\n')}`,
    ).toEqual([]);
  }
  const count = ours.find((p) => /from carts c\b/.test(p.sql))!;
  expect(count.detail.join('\n')).toMatch(
    testEngine === 'sqlite'
      ? /SEARCH c USING INDEX carts_client_holds \(client_hash=\? AND performance_id=\? AND hold_expires_at>\?\)/
      : readsIndex('carts', 'carts_client_holds'),
  );
});

test('npm start has the limits on by default; each can be set or turned off, and X-Forwarded-For trusted', () => {
  expect(loadConfig({}).grab).toEqual({ limits: DEFAULT_CLIENT_LIMITS, trustProxy: 0 });
  const set = loadConfig({
    CLIENT_MAX_OPEN_CARTS: '2',
    CLIENT_MAX_HELD_SEATS: 'off',
    CLIENT_RATE_LIMIT: '100',
    CLIENT_RATE_WINDOW_SECONDS: '600',
    TRUST_PROXY: '1',
  });
  expect(set.grab).toEqual({ limits: { openCarts: 2, heldSeats: Infinity, rate: 100, rateWindowSeconds: 600 }, trustProxy: 1 });
  expect(() => loadConfig({ CLIENT_MAX_HELD_SEATS: '0' })).toThrow(ConfigError);
  expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
});
