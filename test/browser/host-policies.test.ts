// Host pages that lock themselves down still get a working, styled widget: one with a strict
// Content-Security-Policy (no 'unsafe-inline', no eval, only the API's origin for scripts and
// requests) and one that is cross-origin isolated (COEP require-corp + COOP same-origin), which
// loads /widget.js only because it is sent with Cross-Origin-Resource-Policy: cross-origin.
// The pages come from a server of their own (a route-fulfilled page would count as a public
// address and be refused the loopback API), whose origin the organizer allows.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { browserWorld, until, watchPageErrors } from '../support/browser.ts';

// Both origins here are loopback ports; Chromium's Local Network Access checks refuse a page on
// one loopback server the scripts of another (not so for the demo site's server, for reasons not
// found yet). A real host page and API are public addresses, where the check does not apply.
const world = browserWorld({}, ['--disable-features=LocalNetworkAccessChecks']);
let host: ServerType;
let hostBase: string;
const pageHeaders = new Map<string, Record<string, string>>();

beforeAll(async () => {
  const app = new Hono();
  app.get('/:page', (c) => {
    c.header('cache-control', 'no-cache');
    c.header('content-type', 'text/html; charset=utf-8');
    for (const [k, v] of Object.entries(pageHeaders.get(c.req.param('page')) ?? {})) c.header(k, v);
    return c.body(hostPage());
  });
  await new Promise<void>((resolve) => {
    host = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      hostBase = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  const organizers = await world.site.db.selectFrom('organizers').select(['id', 'allowed_origins']).execute();
  for (const o of organizers) {
    const origins = [...(JSON.parse(o.allowed_origins) as string[]), hostBase];
    await world.site.db
      .updateTable('organizers')
      .set({ allowed_origins: JSON.stringify(origins) })
      .where('id', '=', o.id)
      .execute();
  }
});

afterAll(async () => {
  await new Promise((resolve) => host?.close(resolve));
});

/** The page a site owner pastes the snippet into, without the inline queue stub (a strict CSP forbids inline scripts). */
const hostPage = () => `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Host</title>
<link rel="icon" href="data:,">
<script src="${world.site.apiBase}/widget.js" async></script></head>
<body><h1>Афиша</h1><div data-encore-event="hamlet"></div></body></html>`;

async function open(headers: Record<string, string>) {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Cross-Origin|blocked/i.test(m.text())) violations.push(m.text());
  });
  await page.route(`${world.site.demoBase}/host.html`, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: hostPage() }),
  );
  await page.goto(`${world.site.demoBase}/host.html`);
  return { page, errors, violations, close: () => context.close() };
}

/** The widget's own styles applied: its frame has the rounded border from styles.css. */
const frameRadius = (page: Page) =>
  page.evaluate(() => {
    const frame = document.querySelector('[data-encore-host]')?.shadowRoot?.querySelector('.encore');
    return frame ? getComputedStyle(frame).borderTopLeftRadius : null;
  });

async function holdATicket(page: Page) {
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await until(async () => (await world.site.db.selectFrom('carts').select('id').execute()).length > 0, 'a cart held from the host page');
}

test('a page with a strict CSP gets the widget styled and working, with no violation reported', async () => {
  const csp = [
    "default-src 'none'",
    `script-src ${world.site.apiBase}`,
    `connect-src ${world.site.apiBase}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
  ].join('; ');
  const { page, errors, violations, close } = await open({ 'content-security-policy': csp });
  await page.locator('[data-encore-event="hamlet"]').getByTestId('perf-option').first().waitFor();
  expect(await frameRadius(page)).toBe('12px');
  await holdATicket(page);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
  await close();
});

test('a cross-origin isolated page (COEP require-corp) loads the widget and holds tickets', async () => {
  const { page, errors, violations, close } = await open({
    'cross-origin-embedder-policy': 'require-corp',
    'cross-origin-opener-policy': 'same-origin',
  });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.locator('[data-encore-event="hamlet"]').getByTestId('perf-option').first().waitFor();
  expect(await frameRadius(page)).toBe('12px');
  await holdATicket(page);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
  await close();
});
