// A visitor who has typed their email and ticked the reminder box, then picks another date,
// gets a new cart (a cart belongs to one performance). What the form still shows — the email
// and the ticked box — must reach that new cart too, or the box is ticked for nothing. The
// reminder link's "other dates" buttons take the same path (choose, then Continue).
import { expect, test } from 'vitest';
import { browserWorld, until, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();

test('after switching to another date, the new cart gets the email and the consent the form shows', async () => {
  const email = 'switcher@example.com';
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  const carts = () => world.site.db.selectFrom('carts').selectAll().where('buyer_email', '=', email).execute();

  await widget.getByTestId('perf-option').nth(0).click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('email').fill(email);
  await widget.getByTestId('consent').check();
  const first = await until(async () => (await carts()).find((c) => c.consent === 1), 'email and consent on the first cart');

  await widget.getByRole('button', { name: 'Изменить билеты' }).click();
  await widget.getByTestId('perf-option').nth(1).click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  expect(await widget.getByTestId('consent').isChecked()).toBe(true);
  expect(await widget.getByTestId('email').inputValue()).toBe(email);

  const second = await until(async () => (await carts()).find((c) => c.id !== first.id), 'the second cart to get the email');
  expect(second.performance_id).not.toBe(first.performance_id);
  expect(second.consent).toBe(1);
  expect(second.consent_text).toBeTruthy();
  expect(errors).toEqual([]);
  await context.close();
});
