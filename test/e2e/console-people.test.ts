// People in the console, as an owner manages them: add a cashier on the Sites, people & keys page
// (the form says what is wrong by the field), see them listed, and the cashier, signing in, gets
// the orders only. axe finds nothing on the page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/seed/demo.ts';
import { axeViolations } from '../support/axe.ts';
import { launchBrowser, settled, type Site, startSite, watchPageErrors } from '../support/browser.ts';

let browser: Browser;
let site: Site;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

async function signIn(email: string, password: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${site.apiBase}/console`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('sign-out').waitFor();
  return { page, errors, context };
}

test('an owner adds a cashier in the console; the cashier signs in to the orders only', async () => {
  const { page, errors, context } = await signIn(DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD);
  await page.getByTestId('nav-settings').click();
  const people = page.getByTestId('people');
  await people.getByTestId('person').first().waitFor();
  expect(await people.getByTestId('person').count()).toBe(1);

  await people.getByTestId('person-name').fill('Мария Кассирова');
  await people.getByTestId('person-email').fill('kassa@theatre.example');
  await people.getByTestId('person-password').fill('short');
  await people.getByTestId('person-add').click();
  await people.locator('.field-error', { hasText: ru.settings.firstPasswordHint }).waitFor();
  expect(await people.getByTestId('person-password').getAttribute('aria-invalid')).toBe('true');
  await people.getByTestId('person-password').fill('cashier-password-1');
  await people.getByTestId('person-add').click();
  await people.getByTestId('person').filter({ hasText: 'kassa@theatre.example' }).waitFor();
  await settled(page);
  expect(await axeViolations(page)).toEqual([]);
  await people.screenshot({ path: 'test-results/screens/console-people.png' });
  expect(errors).toEqual([]);
  await context.close();

  const cashier = await signIn('kassa@theatre.example', 'cashier-password-1');
  expect(await cashier.page.getByTestId('nav-orders').count()).toBe(1);
  expect(await cashier.page.getByTestId('nav-settings').count()).toBe(0);
  expect(cashier.errors).toEqual([]);
  await cashier.context.close();
});
