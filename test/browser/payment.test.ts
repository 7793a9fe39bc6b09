// A visitor pays online: the widget sends them to the payment page (the built-in demo provider,
// as on `npm start`) and, back on the theatre's page, shows the outcome: the done screen after
// paying; after declining, the tickets still held and a way to try again.
import { createHash } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { browserWorld, watchPageErrors } from '../support/browser.ts';
import { axeViolations } from '../support/axe.ts';

const world = browserWorld({ payments: 'demo' });

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function toPayment(email: string) {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  await widget.getByTestId('email').fill(email);
  await widget.getByTestId('name').fill('Анна Каренина');
  const phone = widget.getByTestId('phone');
  if (await phone.count()) await phone.fill('+7 999 123-45-67');
  await widget.getByTestId('consent').check();
  await widget.getByTestId('checkout').click();
  await page.waitForURL(/\/payments\/demo\//);
  expect(await page.getByTestId('amount').textContent()).toMatch(/2,500/);
  return { page, widget, errors };
}

const orderOf = (email: string) => world.site.db.selectFrom('orders').selectAll().where('buyer_email', '=', email).executeTakeFirstOrThrow();

test('pay on the payment page: back on the theatre page, the done screen with the tickets', async () => {
  const { page, widget, errors } = await toPayment('paid@example.com');
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(`${world.site.demoBase}/repertoire.html**`);
  await widget.getByTestId('order-number').waitFor();
  const order = await orderOf('paid@example.com');
  expect(order.status).toBe('paid');
  expect((await widget.getByTestId('order-number').textContent())?.trim()).toBe(order.number);
  expect(await widget.getByTestId('ticket-code').count()).toBe(1);
  // The order view read on return links the same order page as the order's stored token.
  expect(await widget.getByTestId('sent-to').textContent()).toContain('paid@example.com');
  const orderPage = (await widget.getByTestId('order-page').getAttribute('href'))!;
  expect(createHash('sha256').update(orderPage.split('/o/')[1]!).digest('hex')).toBe(order.access_token_hash);
  await widget.screenshot({ path: 'test-results/screens/payment-paid.png' });
  expect(await axeViolations(page, '[data-encore-event="hamlet"]')).toEqual([]);
  // A reload starts afresh: the done screen was shown once.
  await page.reload();
  await widget.getByTestId('perf-option').first().waitFor();
  expect(errors).toEqual([]);
});

test('decline: the tickets stay held, the widget says so and the next try pays', async () => {
  const { page, widget, errors } = await toPayment('declined@example.com');
  await page.getByRole('button', { name: 'Decline' }).click();
  await page.waitForURL(`${world.site.demoBase}/repertoire.html**`);
  const message = widget.getByTestId('error-message');
  await message.waitFor();
  expect(await message.textContent()).toContain('Оплата не прошла');
  await widget.screenshot({ path: 'test-results/screens/payment-declined.png' });
  expect(await axeViolations(page, '[data-encore-event="hamlet"]')).toEqual([]);
  expect((await orderOf('declined@example.com')).status).toBe('pending_payment');
  // The tickets are the order's now: no way back to change them while it waits for payment.
  expect(await widget.getByRole('button', { name: 'Изменить билеты' }).count()).toBe(0);
  // The form still has what was typed.
  expect(await widget.getByTestId('email').inputValue()).toBe('declined@example.com');
  // The form's button pays again.
  await widget.getByTestId('checkout').click();
  await page.waitForURL(/\/payments\/demo\//);
  await page.getByRole('button', { name: 'Pay' }).click();
  await widget.getByTestId('order-number').waitFor();
  expect((await orderOf('declined@example.com')).status).toBe('paid');
  expect(errors).toEqual([]);
});
