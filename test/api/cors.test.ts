import { expect, test } from 'vitest';
import { createApiKey } from '../../server/console/accounts.ts';
import { bearer, makeEvent, SITE, world } from '../support/world.ts';

const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});

test("cart endpoints admit the organizer's own site and refuse others", async () => {
  const w = await world();
  const ok = await w.app.request('/api/v1/carts', preflight(SITE));
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
  expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');

  const evil = await w.app.request('/api/v1/carts', preflight('https://evil.example'));
  expect(evil.headers.get('access-control-allow-origin')).toBeNull();

  const body = { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] };
  const fromSite = await w.call('POST', '/api/v1/carts', body, { origin: SITE });
  expect(fromSite.status).toBe(201);
  expect(fromSite.headers.get('access-control-allow-origin')).toBe(SITE);
  const fromEvil = await w.call('POST', '/api/v1/carts', body, { origin: 'https://evil.example' });
  expect(fromEvil.status).toBe(403);
  expect(fromEvil.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
});

test("one organizer's site cannot create carts for another organizer's event", async () => {
  const w = await world();
  const { makeEvent } = await import('../support/world.ts');
  const other = await makeEvent(w.db, w.clock.now(), { origins: ['https://other-theatre.example'] });
  const res = await w.call(
    'POST',
    '/api/v1/carts',
    { performanceId: other.performanceId, items: [{ ticketTypeId: other.standard, quantity: 1 }] },
    { origin: SITE },
  );
  expect(res.status).toBe(403);
  expect(await w.db.selectFrom('carts').select('id').execute()).toHaveLength(0);
});

test('the bootstrap is public to every site, its errors and preflight too, so a widget can say what is wrong', async () => {
  const w = await world();
  const from = { origin: 'https://anyone.example' };
  const answers = {
    ok: await w.app.request(`/api/v1/events/${w.slug}`, { headers: from }),
    'unknown event': await w.app.request('/api/v1/events/no-such-event', { headers: from }),
    'bad locale': await w.app.request(`/api/v1/events/${w.slug}?locale=de`, { headers: from }),
    'no such path': await w.app.request(`/api/v1/events/${w.slug}/extra`, { headers: from }),
    preflight: await w.app.request(`/api/v1/events/${w.slug}`, { method: 'OPTIONS', headers: { ...from, 'access-control-request-method': 'GET' } }),
  };
  for (const [what, res] of Object.entries(answers)) {
    expect(res.headers.get('access-control-allow-origin'), what).toBe('*');
    expect(res.headers.get('vary'), what).toMatch(/Origin/);
  }
  expect(answers['unknown event'].status).toBe(404);
  expect((await answers['unknown event'].json()).error.code).toBe('NOT_FOUND');
  expect(answers.preflight.status).toBe(204);
});

test('the bootstrap says whether the asking site may sell; each verdict has its own ETag', async () => {
  const w = await world();
  const get = (headers: Record<string, string>) => w.call('GET', `/api/v1/events/${w.slug}?locale=en`, undefined, headers);
  const own = await get({ origin: SITE });
  const other = await get({ origin: 'https://elsewhere.example' });
  const server = await get({});
  expect([own.body.originAllowed, other.body.originAllowed, server.body.originAllowed]).toEqual([true, false, true]);
  // The rest is the same answer (from the same cache entry).
  const { originAllowed: _a, ...ownRest } = own.body;
  const { originAllowed: _b, ...otherRest } = other.body;
  expect(otherRest).toEqual(ownRest);
  expect(own.headers.get('etag')).not.toBe(other.headers.get('etag'));
  // A browser that cached one site's answer does not get a 304 for the other's.
  expect((await get({ origin: 'https://elsewhere.example', 'if-none-match': own.headers.get('etag')! })).status).toBe(200);
  expect((await get({ origin: 'https://elsewhere.example', 'if-none-match': other.headers.get('etag')! })).status).toBe(304);
  expect((await get({ origin: SITE, 'if-none-match': own.headers.get('etag')! })).status).toBe(304);
});

test("the console lists recent sites refused for the organizer's carts, a few per organizer, until one is allowed", async () => {
  const w = await world();
  const { key } = await createApiKey(w.db, w.organizerId, 'test', w.clock.now());
  const refused = async () => (await w.call('GET', '/api/console/v1/refused-origins', undefined, bearer(key))).body.origins;
  const boot = (origin: string) => w.app.request(`/api/v1/events/${w.slug}`, { headers: { origin } });

  await boot('https://staging.theatre.example');
  w.clock.advance(1);
  await boot('https://staging.theatre.example');
  await boot(SITE);
  // A site another organizer allows passes the preflight; the cart itself is refused and noted.
  const other = await makeEvent(w.db, w.clock.now(), { origins: ['https://other-theatre.example'] });
  const cart = { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] };
  w.clock.advance(1);
  expect((await w.call('POST', '/api/v1/carts', cart, { origin: 'https://other-theatre.example' })).status).toBe(403);
  expect(await refused()).toEqual([
    { origin: 'https://other-theatre.example', count: 1, lastSeenAt: '2026-12-01T09:02:00.000Z' },
    { origin: 'https://staging.theatre.example', count: 2, lastSeenAt: '2026-12-01T09:01:00.000Z' },
  ]);
  // Not another organizer's business.
  const { key: otherKey } = await createApiKey(w.db, other.organizerId, 'test', w.clock.now());
  expect((await w.call('GET', '/api/console/v1/refused-origins', undefined, bearer(otherKey))).body.origins).toEqual([]);

  // Bounded: a page of made-up origins leaves the ten most recent.
  for (let i = 0; i < 30; i++) {
    w.clock.advance(1);
    await boot(`https://spam${i}.example`);
  }
  const kept = await refused();
  expect(kept.map((r: { origin: string }) => r.origin)).toEqual(Array.from({ length: 10 }, (_, i) => `https://spam${29 - i}.example`));
  expect(await w.db.selectFrom('refused_origins').select('origin').where('organizer_id', '=', w.organizerId).execute()).toHaveLength(10);

  // Allowed in settings: no longer listed, and the bootstrap says it may sell.
  const patched = await w.call('PATCH', '/api/console/v1/settings', { allowedOrigins: [SITE, 'https://spam29.example'] }, bearer(key));
  expect(patched.status).toBe(200);
  expect((await refused())[0].origin).toBe('https://spam28.example');
  expect((await (await boot('https://spam29.example')).json()).originAllowed).toBe(true);
});
