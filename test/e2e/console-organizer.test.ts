// The organizer console in Chromium, in Russian: a form's bad fields all marked at once in the
// console's language; time zone and currency picked from searchable lists; deleting and
// archiving; the stats' definitions and their table at 1280 px.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/seed/demo.ts';
import { launchBrowser, type Site, startSite, watchPageErrors } from '../support/browser.ts';

let browser: Browser;
let site: Site;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  page = await context.newPage();
  errors = watchPageErrors(page);
  await page.goto(`${site.apiBase}/console`);
  await page.getByTestId('signin-email').fill(DEMO_ORGANIZER_EMAIL);
  await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('event-list').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

/** The error text tied to an input by aria-describedby, and whether the input says it is invalid. */
async function fieldState(testId: string) {
  const input = page.getByTestId(testId);
  const described = (await input.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    described
      .split(' ')
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return { invalid: await input.getAttribute('aria-invalid'), texts };
}

test('two bad fields of a Russian form: both marked at once, each in Russian under its field, focus on the first', async () => {
  const form = page.getByTestId('new-event');
  await form.getByTestId('event-title').fill('   ');
  await form.getByTestId('event-slug').fill('Bad Slug');
  await form.getByTestId('event-create').click();
  await form.locator('.field-error').nth(1).waitFor();

  expect(await fieldState('event-title')).toEqual({ invalid: 'true', texts: [ru.errors.fields.title] });
  expect(await fieldState('event-slug')).toEqual({ invalid: 'true', texts: [ru.events.slugHint, ru.errors.fields.slug] });
  expect(await form.locator('.field-error').count()).toBe(2);
  expect(await form.getByRole('alert').textContent()).toBe(ru.errors.fixFields(2));
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('event-title');
  // Nothing of the server's English wording shows.
  expect(await form.textContent()).not.toMatch(/Use lower-case|Too small|String must/i);

  // Fixed fields lose their marks; the one still wrong keeps its own.
  await form.getByTestId('event-title').fill('Чайка');
  await form.getByTestId('event-create').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="new-event"] .field-error').length === 1);
  expect((await fieldState('event-title')).invalid).toBeNull();
  expect(await fieldState('event-slug')).toEqual({ invalid: 'true', texts: [ru.events.slugHint, ru.errors.fields.slug] });
  expect(await form.getByRole('alert').textContent()).toBe(ru.errors.fixFields(1));
  expect(errors).toEqual([]);
});
