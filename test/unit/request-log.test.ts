// Request logs write bearer secrets as ***: unsubscribe and order-page tokens in paths, preview,
// catcher and other tokens in queries; everything else as it came.
import { Hono } from 'hono';
import { expect, test } from 'vitest';
import { loggablePath, requestLog } from '../../server/platform/http/request-log.ts';

test('secrets in paths and queries are written as ***', () => {
  expect(loggablePath('http://x/u/eyJhbGciOi.secret-part')).toBe('/u/***');
  expect(loggablePath('http://x/o/ord-token-123/tickets.pdf')).toBe('/o/***/tickets.pdf');
  expect(loggablePath('http://x/api/v1/events/hamlet?locale=en&preview=pv.abc.def')).toBe('/api/v1/events/hamlet?locale=en&preview=***');
  expect(loggablePath('http://x/console/preview/hamlet?token=tok123&locale=ru')).toBe('/console/preview/hamlet?token=***&locale=ru');
  expect(loggablePath('http://x/mail?token=abc')).toBe('/mail?token=***');
  expect(loggablePath('http://x/api/v1/carts/crt_1/checkout')).toBe('/api/v1/carts/crt_1/checkout');
  expect(loggablePath('http://x/ui/settings')).toBe('/ui/settings');
});

test('the middleware prints the redacted line with status and time', async () => {
  const lines: string[] = [];
  const app = new Hono();
  app.use(
    '*',
    requestLog((line) => lines.push(line)),
  );
  app.get('/u/:token', (c) => c.text('ok'));
  await app.request('/u/unsubscribe-token-xyz?token=again');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^GET \/u\/\*\*\*\?token=\*\*\* 200 \d+ms$/);
  expect(lines[0]).not.toContain('xyz');
});
