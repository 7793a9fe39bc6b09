import { expect, test } from 'vitest';
import { SITE, world } from './support/world.ts';

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
  const { makeEvent } = await import('./support/world.ts');
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

test('the bootstrap is public to every site', async () => {
  const w = await world();
  const res = await w.app.request(`/api/v1/events/${w.slug}`, { headers: { origin: 'https://anyone.example' } });
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
});
