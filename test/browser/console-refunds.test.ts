// A refund at the box office, in the browser: an order paid at the desk shows its answers under
// their questions' labels (not ids); part of its money is handed back (the amount field starts
// at what is left, a confirmation first), then the rest, which returns its seats to sale. The
// refunds list, the refunded amount and the history (who did what) show each step. axe finds
// nothing on the order with its refund form, and it does not scroll sideways at 375 px.
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { DEMO_ORGANIZER_EMAIL } from '../../server/demo/seed.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, settled, signIn } from '../support/browser.ts';

const world = browserWorld();
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await world.open());
});

test('the box office hands back part of a desk payment, then the rest; the order shows refunds, labels and its history', async () => {
  const demo = await world.site.db
    .selectFrom('organizer_users')
    .innerJoin('organizers', 'organizers.id', 'organizer_users.organizer_id')
    .select(['organizers.id', 'organizers.settings'])
    .where('organizer_users.email', '=', DEMO_ORGANIZER_EMAIL)
    .executeTakeFirstOrThrow();
  // A question of the organizer's own: the order shows its label, not its id.
  const settings = JSON.parse(demo.settings);
  settings.fields = { ...settings.fields, custom: [{ id: 'seat_note', label: { ru: 'Пожелание к месту', en: 'Seat wish' }, required: false }] };
  await world.site.db
    .updateTable('organizers')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', demo.id)
    .execute();

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
  const patched = await api(
    'PATCH',
    `/api/v1/carts/${cart.id}`,
    { buyer: { email: 'vozvrat@example.com', name: 'Зритель Возврата', answers: { seat_note: 'У прохода' } } },
    cart.token,
  );
  expect(patched.status).toBe(200);
  const made = await api('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.token);
  expect(made.status).toBe(201);
  const { id, number, total, currency } = made.body.order as { id: string; number: string; total: number; currency: string };
  const money = (minor: number) => new Intl.NumberFormat('ru-RU', { style: 'currency', currency }).format(minor / 100);

  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  await signIn(page, world.site, { path: `/console/orders/${id}` });
  await page.getByTestId('order-detail').waitFor();
  expect(await page.locator('.order-facts dt').allTextContents()).toContain('Пожелание к месту');
  expect(await page.locator('.order-facts dt').allTextContents()).not.toContain('seat_note');
  expect(await page.getByTestId('refund-form').count()).toBe(0);

  await page.getByTestId('order-mark-paid').click();
  await page.getByTestId('order-detail-status').filter({ hasText: ru.orders.statuses.paid }).waitFor();
  const amount = page.getByTestId('refund-amount');
  expect(await amount.inputValue()).toBe(String(total / 100));
  await noViolations('order with the refund form');
  await fitsAPhone('refund');

  const half = total / 2;
  await amount.fill(String(half / 100));
  await page.getByTestId('refund-reason').fill('Один зритель не пришёл');
  await page.getByTestId('refund-submit').click();
  await page.getByRole('status').filter({ hasText: ru.orders.refundDone }).waitFor();
  expect(dialogs.at(-1)).toBe(ru.orders.confirmRefund(number, money(half)));
  expect(await page.getByTestId('order-detail-status').textContent()).toBe(ru.orders.statuses.paid);
  expect(await page.getByTestId('order-refunded').textContent()).toBe(money(half));
  expect(await page.getByTestId('order-refund').first().textContent()).toContain('Один зритель не пришёл');
  // The form starts again at what is left, with no reason.
  expect(await page.getByTestId('refund-amount').inputValue()).toBe(String(half / 100));
  expect(await page.getByTestId('refund-reason').inputValue()).toBe('');
  expect((await boot()).ticketTypes[0].available).toBe(type.available - 2);

  await page.getByTestId('refund-submit').click();
  await page.getByTestId('order-detail-status').filter({ hasText: ru.orders.statuses.refunded }).waitFor();
  expect(await page.getByTestId('refund-form').count()).toBe(0);
  expect(await page.getByTestId('order-refund').count()).toBe(2);
  expect((await boot()).ticketTypes[0].available).toBe(type.available);
  const history = await page.getByTestId('order-history').locator('li').allTextContents();
  expect(history.map((h) => h.replace(/^.*?\d\d:\d\d /, ''))).toEqual([
    `${ru.orders.actions.created} — ${ru.orders.actors.buyer}`,
    `${ru.orders.actions.marked_paid} — ${DEMO_ORGANIZER_EMAIL}`,
    `${ru.orders.actions.refund_requested}, ${money(half)} — ${DEMO_ORGANIZER_EMAIL}`,
    `${ru.orders.actions.refund_succeeded}, ${money(half)} — ${DEMO_ORGANIZER_EMAIL}`,
    `${ru.orders.actions.refund_requested}, ${money(half)} — ${DEMO_ORGANIZER_EMAIL}`,
    `${ru.orders.actions.refund_succeeded}, ${money(half)} — ${DEMO_ORGANIZER_EMAIL}`,
    `${ru.orders.actions.refunded} — ${DEMO_ORGANIZER_EMAIL}`,
  ]);
  await page.screenshot({ path: '/tmp/console-refunds-order.png', fullPage: true });
  expect(errors).toEqual([]);
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
  await page.screenshot({ path: `/tmp/console-refunds-${what}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(overflow, `${what} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
}
