// People in the console, as an owner manages them: add a cashier on the Sites, people & keys page
// (the form says what is wrong by the field), see them listed, and the cashier, signing in, gets
// the orders only. axe finds nothing on the page.
import { expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, settled, signIn } from '../support/browser.ts';

const world = browserWorld();

async function openAs(email: string, password: string) {
  const { context, page, errors } = await world.open();
  await signIn(page, world.site, { email, password });
  await page.getByTestId('sign-out').waitFor();
  return { page, errors, context };
}

test('an owner adds a cashier in the console; the cashier signs in to the orders only', async () => {
  const { page, errors, context } = await openAs(DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD);
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

  const cashier = await openAs('kassa@theatre.example', 'cashier-password-1');
  expect(await cashier.page.getByTestId('nav-orders').count()).toBe(1);
  expect(await cashier.page.getByTestId('nav-settings').count()).toBe(0);
  expect(cashier.errors).toEqual([]);
  await cashier.context.close();
});
