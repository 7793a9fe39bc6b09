// Promo codes in the browser, as their users meet them: the organizer makes a code in the
// console (in Russian, with field errors by the field), a visitor on the theatre's page types it
// in small letters, sees the discount and the new total, and buys; the console then counts the
// use. axe finds nothing on the console page or the widget; the console page fits a phone.
import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, settled, signIn, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();
const contexts: BrowserContext[] = [];

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function newPage(width = 1280) {
  const context = await world.browser.newContext({ viewport: { width, height: 900 }, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: watchPageErrors(page) };
}

test('the organizer makes a code; a visitor types it, sees the discount and buys at that price; the console counts the use', async () => {
  const { page: console_, errors: consoleErrors } = await newPage();
  await signIn(console_, world.site);
  await console_.getByTestId('nav-promo-codes').click();
  await console_.getByRole('heading', { name: ru.promo.title, level: 1 }).waitFor();
  expect(await console_.getByText(ru.promo.none).count()).toBe(1);

  // A percent over 100 is refused by the field, in Russian.
  await console_.getByTestId('promo-code-input').fill('весна 20');
  await console_.getByTestId('promo-value').fill('120');
  await console_.getByTestId('promo-create').click();
  await console_.getByText(ru.errors.fields.value).waitFor();
  expect(await console_.getByTestId('promo-value').getAttribute('aria-invalid')).toBe('true');

  await console_.getByTestId('promo-value').fill('20');
  await console_.getByLabel(ru.promo.maxUses).fill('5');
  await console_.getByTestId('promo-event').selectOption({ label: 'Гамлет' });
  await console_.getByTestId('promo-create').click();
  expect(await console_.getByTestId('promo-made').textContent()).toBe('ВЕСНА20');
  const row = console_.getByTestId('promo-code').filter({ hasText: 'ВЕСНА20' });
  await row.waitFor();
  expect(await row.textContent()).toContain('0 / 5');
  await settled(console_);
  expect(await axeViolations(console_)).toEqual([]);
  await console_.screenshot({ path: 'test-results/screens/console-promo-codes.png', fullPage: true });
  await console_.setViewportSize({ width: 375, height: 812 });
  await settled(console_);
  expect(await console_.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await console_.screenshot({ path: 'test-results/screens/console-promo-codes-375.png', fullPage: true });

  const { page, errors } = await newPage(420);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.scrollIntoViewIfNeeded();
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  const total = async () => (await widget.locator('.summary .total strong').textContent())?.replace(/\s/g, ' ');
  const before = await total();

  await widget.getByTestId('have-code').click();
  // Keyboard and screen-reader users land in the field, and after applying on its remove button.
  const hasFocus = (testId: string) => () => widget.getByTestId(testId).evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement);
  await expect.poll(hasFocus('promo')).toBe(true);
  await widget.getByTestId('promo').fill('нет-такого');
  await widget.getByTestId('promo').press('Enter');
  await widget.getByText('Этот промокод не подходит к этим билетам.').waitFor();
  // Enter applied the code; it did not submit the order.
  expect(await widget.getByTestId('order-number').count()).toBe(0);
  await widget.getByTestId('promo').fill('весна20');
  await widget.getByTestId('apply-code').click();
  await widget.getByTestId('discount-line').waitFor();
  await expect.poll(hasFocus('remove-code')).toBe(true);
  expect(await widget.getByTestId('discount-line').textContent()).toContain('20%');
  const after = await total();
  expect(after).not.toBe(before);
  await widget.screenshot({ path: 'test-results/screens/widget-promo-code.png' });
  expect(await axeViolations(page, '[data-encore-event="hamlet"]')).toEqual([]);

  await widget.getByTestId('email').fill('promo@example.com');
  await widget.getByTestId('name').fill('Анна Каренина');
  const phone = widget.getByTestId('phone');
  if (await phone.count()) await phone.fill('+7 999 123-45-67');
  const consent = widget.getByTestId('consent');
  if (await consent.count()) await consent.check();
  await widget.getByTestId('checkout').click();
  await widget.getByTestId('order-number').waitFor();
  const order = await world.site.db.selectFrom('orders').selectAll().where('buyer_email', '=', 'promo@example.com').executeTakeFirstOrThrow();
  expect(order).toMatchObject({ discount_code: 'ВЕСНА20', total: Math.round(order.subtotal! * 0.8) });

  await console_.reload();
  await console_.getByTestId('promo-code').filter({ hasText: 'ВЕСНА20' }).filter({ hasText: '1 / 5' }).waitFor();
  expect(errors).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
