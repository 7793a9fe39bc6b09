// The buyer's order page on a phone (375 px), as opened from the confirmation email: the
// tickets' QR codes (read back from the screenshot's pixels), the PDF and calendar links, the
// language switch, nothing scrolling sideways, no script errors under its CSP, and axe finds nothing.
import { mkdirSync } from 'node:fs';
import { beforeAll, expect, test } from 'vitest';
import { instanceSecret } from '../../server/platform/db/secrets.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { ticketQrPayload } from '../../server/tickets/ticket-code.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, watchPageErrors } from '../support/browser.ts';
import { decodeQrPng } from '../support/qr-decode.ts';

const SHOTS = 'test-results/screens';
const world = browserWorld();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

/** A paid box-office order of two tickets for the demo's first performance. */
async function paidOrder() {
  const organizer = await world.site.db.selectFrom('organizers').select('id').executeTakeFirstOrThrow();
  const { key } = await createApiKey(world.site.db, organizer.id, 'order page test', new Date());
  const show = await world.site.db
    .selectFrom('performances')
    .innerJoin('ticket_types', 'ticket_types.event_id', 'performances.event_id')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .select(['performances.id as performanceId', 'ticket_types.id as ticketTypeId'])
    .where('events.organizer_id', '=', organizer.id)
    .where('ticket_types.price', '>', 0)
    .orderBy('events.created_at')
    .orderBy('performances.starts_at')
    .executeTakeFirstOrThrow();
  const call = async (method: string, path: string, body: unknown, auth = key) => {
    const res = await fetch(`${world.site.apiBase}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const cart = await call('POST', '/api/v1/carts', { performanceId: show.performanceId, items: [{ ticketTypeId: show.ticketTypeId, quantity: 2 }] });
  await call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: 'olga@example.com', name: 'Ольга Иванова' } }, cart.token);
  const done = await call('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.token);
  await call('POST', `/api/console/v1/orders/${done.order.id}/mark-paid`, {});
  return done.order as { page: string; number: string; tickets: { code: string }[] };
}

test('the order page on a phone: tickets with QR codes that scan, downloads, language switch, accessible', async () => {
  const order = await paidOrder();
  const context = await world.browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ru-RU', deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  const csp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
  });
  const res = await page.goto(`${world.site.apiBase}${order.page}`);
  expect(res!.status()).toBe(200);
  await page.screenshot({ path: `${SHOTS}/order-page-phone.png`, fullPage: true });

  expect(await page.locator('h1').textContent()).toBeTruthy();
  expect(await page.getByTestId('state').textContent()).toMatch(/^Ваши билеты\./);
  expect(await page.getByTestId('order-number').textContent()).toContain(order.number);
  expect(await page.getByTestId('ticket').count()).toBe(2);
  // The style applied under the CSP (its hash): the header band has the accent's border.
  expect(await page.locator('header').evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe('6px');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  // What a door scanner sees: each code as drawn on the screen decodes to its ticket's payload.
  const secret = await instanceSecret(world.site.db, 'tickets');
  const expected = order.tickets.map((t) => ticketQrPayload(secret, t.code)).sort();
  const qrs = page.locator('img.qr');
  const scanned: (string | null)[] = [];
  for (let i = 0; i < (await qrs.count()); i++) scanned.push(decodeQrPng(await qrs.nth(i).screenshot()));
  expect(scanned.sort()).toEqual(expected);

  const pdf = await page.getByRole('link', { name: 'Скачать билеты (PDF)' }).getAttribute('href');
  const pdfRes = await fetch(`${world.site.apiBase}${pdf}`);
  expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
  const ics = await page.getByRole('link', { name: 'Добавить в календарь' }).getAttribute('href');
  expect(await (await fetch(`${world.site.apiBase}${ics}`)).text()).toContain('BEGIN:VEVENT');

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/\?lang=en$/);
  expect(await page.getByTestId('state').textContent()).toMatch(/^Your tickets\./);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await page.screenshot({ path: `${SHOTS}/order-page-phone-en.png`, fullPage: true });

  expect(errors).toEqual([]);
  expect(csp).toEqual([]);
  await context.close();

  // axe runs as an injected script, which the page's policy rightly refuses: a context that
  // bypasses the CSP for the check, on the same page in both languages.
  const checking = await world.browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
  const check = await checking.newPage();
  for (const lang of ['ru', 'en']) {
    await check.goto(`${world.site.apiBase}${order.page}?lang=${lang}`);
    expect(await axeViolations(check), lang).toEqual([]);
  }
  await checking.close();
});
