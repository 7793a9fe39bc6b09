// The organizer's own buyer fields in the embedded widget: a required phone and questions,
// reported next to the field they are about, whether the widget or the server notices.
import { mkdirSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { browserWorld, until, watchPageErrors } from '../support/browser.ts';

const SHOTS = 'test-results/screens';
const world = browserWorld();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

const HEARD = { id: 'heard', label: { ru: 'Откуда вы о нас узнали?', en: 'How did you hear of us?' }, required: true };
const ACCESS = { id: 'access', label: { ru: 'Нужна ли помощь с доступом в зал?' }, required: false };

/** What the console's PATCH /settings would store, written straight into the demo organizer. */
async function setFields(fields: object) {
  const org = await world.site.db.selectFrom('organizers').select(['id', 'settings']).where('slug', '=', 'riverside').executeTakeFirstOrThrow();
  const settings = { ...JSON.parse(org.settings), fields };
  await world.site.db
    .updateTable('organizers')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', org.id)
    .execute();
}

const cartByEmail = (email: string) => world.site.db.selectFrom('carts').selectAll().where('buyer_email', '=', email).executeTakeFirst();
const errorOf = (widget: Locator, testId: string) => widget.locator('.field', { has: widget.page().getByTestId(testId) }).getByTestId('error-message');

test('a required question blocks checkout with its message beside it; answered, the order keeps the answer', async () => {
  await setFields({ phone: 'required', custom: [HEARD, ACCESS] });
  const context = await world.browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  let widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();

  // The phone and the required question say so to assistive tech; the optional one says so in its label.
  const phone = widget.getByTestId('phone');
  expect(await phone.getAttribute('required')).not.toBeNull();
  expect(await phone.getAttribute('aria-required')).toBe('true');
  expect(await widget.getByTestId('custom-heard').getAttribute('aria-required')).toBe('true');
  expect(await widget.locator('label[for="encore-custom-heard"]').textContent()).toBe('Откуда вы о нас узнали?');
  expect(await widget.getByTestId('custom-access').getAttribute('required')).toBeNull();
  expect(await widget.locator('label[for="encore-custom-access"]').textContent()).toBe('Нужна ли помощь с доступом в зал? (необязательно)');

  await widget.getByTestId('email').fill('fields@example.com');
  await until(() => cartByEmail('fields@example.com'), 'the email to reach the cart');
  await widget.getByTestId('name').fill('Анна Каренина');
  await widget.getByTestId('consent').check();
  await widget.getByTestId('checkout').click();
  await errorOf(widget, 'custom-heard').waitFor();
  expect(await errorOf(widget, 'phone').textContent()).toBe('Укажите номер телефона.');
  expect(await errorOf(widget, 'custom-heard').textContent()).toBe('Ответьте на этот вопрос.');
  expect(await widget.getByTestId('custom-heard').getAttribute('aria-invalid')).toBe('true');
  expect(await phone.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
  expect(await world.site.db.selectFrom('orders').select('id').execute()).toHaveLength(0);
  // What the visitor sees (the host's sticky header would cover part of a whole-widget shot).
  await widget.getByTestId('custom-heard').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: `${SHOTS}/custom-fields-phone.png` });

  // An answer is text, never markup; it reaches the cart when the visitor leaves the field.
  const answer = '<img src=x onerror="window.pwned=1">Афиша';
  await phone.fill('+7 999 123-45-67');
  await widget.getByTestId('custom-heard').fill(answer);
  await widget.getByTestId('custom-heard').blur();
  await until(async () => (await cartByEmail('fields@example.com'))?.buyer_answers?.includes('Афиша'), 'the answer to reach the cart');
  expect(await errorOf(widget, 'custom-heard').count()).toBe(0);

  // A reload keeps the answers.
  await page.reload();
  widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('countdown').waitFor();
  expect(await widget.getByTestId('custom-heard').inputValue()).toBe(answer);

  // Meanwhile the organizer makes the other question required: the server's refusal lands beside it.
  await setFields({ phone: 'required', custom: [HEARD, { ...ACCESS, required: true }] });
  await widget.getByTestId('checkout').click();
  await errorOf(widget, 'custom-access').waitFor();
  expect(await errorOf(widget, 'custom-access').textContent()).toBe('Ответьте на этот вопрос.');
  await widget.getByTestId('custom-access').fill('Нет, спасибо');
  await widget.getByTestId('checkout').click();
  const number = (await widget.getByTestId('order-number').textContent())!.trim();

  const order = await world.site.db.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  expect(order.buyer_phone).toBe('+7 999 123-45-67');
  expect(JSON.parse(order.buyer_answers!)).toEqual({ heard: answer, access: 'Нет, спасибо' });
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(errors).toEqual([]);
  await context.close();
});
