// The box office in the browser: the demo organizer signs in, an order made through the public
// API (as the widget makes one) shows up in Orders, found by its number; they open it and cancel
// it (after a confirmation), and it shows cancelled in the order and the list, its seats back on
// sale. axe finds nothing on the list or the order, and neither scrolls sideways at 375 px.
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { createUser } from '../../server/console/accounts.ts';
import { DEMO_ORGANIZER_EMAIL } from '../../server/demo/seed.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, settled, signIn, until, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await world.open());
});

async function noViolations(what: string) {
  await settled(page);
  const found = await axeViolations(page);
  expect(
    found.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`),
    what,
  ).toEqual([]);
}

async function fitsAPhone(what: string) {
  await page.setViewportSize({ width: 375, height: 812 });
  await settled(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: `/tmp/console-orders-${what}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(overflow, `${what} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
}

test('an order made through the API shows up; the box office cancels it and it shows cancelled, its seats back', async () => {
  const origin = world.site.demoOrigins[0]!;
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${world.site.apiBase}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const boot = async () => (await api('GET', '/api/v1/events/hamlet')).body.performances[0];
  const show = await boot();
  const type = show.ticketTypes[0];
  const cart = (await api('POST', '/api/v1/carts', { performanceId: show.id, items: [{ ticketTypeId: type.id, quantity: 2 }] })).body;
  await api('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: 'kassa@example.com', name: 'Зритель Кассы' } }, cart.token);
  const made = await api('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.token);
  expect(made.status).toBe(201);
  const number = made.body.order.number as string;
  expect((await boot()).ticketTypes[0].available).toBe(type.available - 2);

  await signIn(page, world.site);
  await page.getByTestId('nav-orders').click();
  const row = page.getByTestId('order-row').filter({ hasText: number });
  await row.waitFor();
  expect(await row.getByTestId('order-status').textContent()).toBe(ru.orders.statuses.reserved);
  await noViolations('orders');
  await fitsAPhone('list');

  // Found by its number, the only row; by the buyer's name too.
  await page.getByLabel(ru.orders.search).fill(number);
  await page.getByTestId('orders-show').click();
  await until(async () => (await page.getByTestId('order-row').count()) === 1, 'one row for the number');
  await page.getByLabel(ru.orders.search).fill('Зритель Кассы');
  await page.getByTestId('orders-show').click();
  await row.waitFor();

  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  await row.getByRole('link', { name: number }).click();
  await page.getByTestId('order-detail').waitFor();
  expect(await page.getByTestId('order-detail-status').textContent()).toBe(ru.orders.statuses.reserved);
  await noViolations('order');
  await fitsAPhone('order');
  await page.getByTestId('order-cancel').click();
  await page.getByTestId('order-detail-status').filter({ hasText: ru.orders.statuses.cancelled }).waitFor();
  expect(dialogs).toEqual([ru.orders.confirmCancel(number)]);
  expect(await page.getByTestId('order-cancel').count()).toBe(0);
  await page.getByRole('status').filter({ hasText: ru.orders.cancelled }).waitFor();
  expect((await boot()).ticketTypes[0].available).toBe(type.available);

  await page.getByRole('link', { name: ru.orders.back }).click();
  await row.getByTestId('order-status').filter({ hasText: ru.orders.statuses.cancelled }).waitFor();
  expect(errors).toEqual([]);
});

test('a box office user sees only Orders and Check-in; a link to another section lands on Orders', async () => {
  const organizer = await world.site.db
    .selectFrom('organizer_users')
    .select('organizer_id')
    .where('email', '=', DEMO_ORGANIZER_EMAIL)
    .executeTakeFirstOrThrow();
  await createUser(
    world.site.db,
    organizer.organizer_id,
    { email: 'kassa@encore.local', password: 'kassa-password-1', name: 'Касса', locale: 'ru', role: 'box_office' },
    new Date(),
  );
  const cashier = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  const p = await cashier.newPage();
  const pageErrors = watchPageErrors(p);
  await signIn(p, world.site, { path: '/console/settings', email: 'kassa@encore.local', password: 'kassa-password-1' });
  await p.getByTestId('orders-show').waitFor();
  // The box office works the orders and the door.
  expect(await p.locator('#nav ul a').allTextContents()).toEqual([ru.nav.orders, ru.nav['check-in']]);
  // And their own account (password, sessions).
  expect(await p.getByTestId('nav-account').textContent()).toBe(ru.account.nav);
  expect(pageErrors).toEqual([]);
  await cashier.close();
});
