// Fuzz-style: thousands of malformed, mistyped and hostile requests. None may produce a 5xx,
// and every refusal must carry the error shape with a code and a message.
import { expect, test } from 'vitest';
import { bearer, world } from '../support/world.ts';

function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const weirdValues: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x'.repeat(5000),
  '<script>alert(1)</script>',
  "'; drop table carts; --",
  '\u0000',
  '🎭',
  [],
  [{}],
  {},
  { a: { b: { c: [] } } },
  'NaN',
  '1',
  '2026-13-45',
  'javascript:alert(1)',
  'http://',
  'a@b',
  '@@',
  '+7 (999)',
  '__proto__',
];

test('no bad input reaches a 5xx', async () => {
  const w = await world({ capacity: 50 });
  const created = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] });
  const cartId = created.body.id as string;
  const token = created.body.token as string;
  const rand = prng(20261127);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const weird = () => pick(weirdValues);
  const ids = [w.performanceId, w.standard, w.free, cartId, 'x', '', '../../etc/passwd', '%00', 'a'.repeat(300), '🎭'];
  const item = () =>
    pick([
      { ticketTypeId: pick(ids), quantity: weird() },
      { ticketTypeId: weird(), quantity: Math.floor(rand() * 20) - 5 },
      { ticketTypeId: w.standard, quantity: pick([0, 1, 3, 7, 1001, 2.5, -3]) },
      weird(),
    ]);
  const body = () =>
    pick<unknown>([
      { performanceId: pick(ids), items: Array.from({ length: Math.floor(rand() * 4) }, item) },
      { performanceId: weird(), items: weird() },
      { items: [item(), item()], buyer: { email: weird(), name: weird(), phone: weird() }, consent: weird() },
      { buyer: weird(), locale: pick(['ru', 'en', 'de', weird()]), pageUrl: weird() },
      { paymentMethod: pick(['box_office', 'card', weird()]) },
      { items: Array.from({ length: 60 }, item) },
      '{"unterminated": ',
      'not json at all',
      '[1,2,3',
      `{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`,
      JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
      '',
      weird(),
    ]);
  const paths = [
    '/api/v1/carts',
    `/api/v1/carts/${cartId}`,
    `/api/v1/carts/${cartId}/checkout`,
    `/api/v1/carts/${encodeURIComponent(pick(ids))}`,
    `/api/v1/carts/${encodeURIComponent(pick(ids))}/checkout`,
    `/api/v1/events/${encodeURIComponent(String(weird()))}`,
    `/api/v1/events/${w.slug}`,
    '/api/v1/nothing',
    '/api/v1/resume',
    `/u/${encodeURIComponent(String(weird()))}`,
    `/api/console/v1/events/${encodeURIComponent(pick(ids))}`,
    '/api/console/v1/session',
    '/widget.deadbeef0000.js',
  ];
  const authHeaders = () =>
    pick<Record<string, string>>([
      bearer(token),
      bearer('nope'),
      { authorization: 'Basic abc' },
      { authorization: 'Bearer' },
      {},
      { ...bearer(token), 'idempotency-key': pick(['', 'k', 'x'.repeat(300), 'k\u00e9y', ' ']) },
      { ...bearer(token), 'content-type': 'text/plain' },
    ]);

  const failures: string[] = [];
  for (let i = 0; i < 1500; i++) {
    const method = pick(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
    const path = pick(paths);
    const b = body();
    const payload = method === 'GET' ? undefined : typeof b === 'string' ? b : JSON.stringify(b);
    const res = await w.app.request(path, { method, headers: { 'content-type': 'application/json', ...authHeaders() }, body: payload });
    const text = await res.text();
    if (res.status >= 500) failures.push(`${method} ${path} ${String(payload).slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`);
    if (res.status >= 400 && res.status !== 405 && path.startsWith('/api/')) {
      const json = JSON.parse(text);
      if (typeof json?.error?.code !== 'string' || typeof json?.error?.message !== 'string') failures.push(`${method} ${path} → shape ${text.slice(0, 200)}`);
    }
  }
  expect(failures.slice(0, 5)).toEqual([]);
  expect(w.logs).toEqual([]);
});

test('the body limit and malformed JSON answer with their own codes', async () => {
  const w = await world();
  const big = await w.call('POST', '/api/v1/carts', JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
  expect(big.status).toBe(413);
  expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  const bad = await w.call('POST', '/api/v1/carts', '{"performanceId": ');
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('BAD_JSON');
  const typed = await w.call('POST', '/api/v1/carts', { performanceId: 5, items: [] });
  expect(typed.body.error).toMatchObject({ code: 'VALIDATION', field: 'performanceId' });
});
