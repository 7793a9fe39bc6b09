// A widget on a site the organizer has not allowed, or with a mistyped event, says so up front
// (not "check your connection" after the visitor picked tickets); the organizer sees the site in
// the console and allows it with one click, after which the same page sells.
// The "other site" is the demo site under http://localhost:<port>: the same pages, another origin.
import type { BrowserContext } from 'playwright-core';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { browserWorld, until, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();
let otherSite: string;

beforeAll(async () => {
  otherSite = world.site.demoBase.replace('127.0.0.1', 'localhost');
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function openPage(url: string) {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(url);
  return { page, errors };
}

test('on a site that is not allowed, each widget says at once that sales are not enabled there', async () => {
  const { page, errors } = await openPage(`${otherSite}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  const message = widget.getByTestId('error-message');
  await message.waitFor();
  expect(await message.textContent()).toContain('Продажа билетов на этом сайте не подключена');
  expect(await widget.getByTestId('perf-option').count()).toBe(0);
  expect(await widget.getByTestId('retry').count()).toBe(0);
  // Every widget on the page, in the visitor's language; nothing thrown into the page.
  await page.locator('[data-encore-event="seagull"]').getByTestId('error-message').waitFor();
  expect(errors).toEqual([]);
});

test('a mistyped event says the event was not found, in the page language', async () => {
  const { page, errors } = await openPage(`${world.site.demoBase}/repertoire.html`);
  await page.locator('[data-encore-event="hamlet"]').getByTestId('perf-option').first().waitFor();
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.setAttribute('data-encore-event', 'hamlte');
    document.querySelector('main')!.append(el);
    // A widget far down the page loads as the visitor scrolls to it.
    el.scrollIntoView();
  });
  const message = page.locator('[data-encore-event="hamlte"]').getByTestId('error-message');
  await message.waitFor();
  expect((await message.textContent())?.trim()).toBe('Событие не найдено.');
  expect(errors).toEqual([]);
});

test('the console lists the refused site; one click allows it, and the same page then sells', async () => {
  // The visit above (or this one) is what the console shows.
  const visit = await openPage(`${otherSite}/repertoire.html`);
  await visit.page.locator('[data-encore-event="hamlet"]').getByTestId('error-message').waitFor();

  const { page, errors } = await openPage(`${world.site.apiBase}/console`);
  await page.getByTestId('signin-email').fill(DEMO_ORGANIZER_EMAIL);
  await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('event-list').waitFor();
  await page.getByTestId('nav-widget').click();
  const row = page.getByTestId('refused-site').filter({ hasText: otherSite });
  await row.waitFor();
  await row.getByTestId('refused-allow').click();
  await row.waitFor({ state: 'detached' });
  const organizer = await world.site.db.selectFrom('organizers').select('allowed_origins').where('email', '=', DEMO_ORGANIZER_EMAIL).executeTakeFirstOrThrow();
  expect(JSON.parse(organizer.allowed_origins)).toContain(otherSite);
  expect(errors).toEqual([]);

  const again = await openPage(`${otherSite}/repertoire.html`);
  const widget = again.page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  await until(
    () => world.site.db.selectFrom('carts').select('id').where('page_url', '=', `${otherSite}/repertoire.html`).executeTakeFirst(),
    'a cart from the newly allowed site',
  );
  expect(again.errors).toEqual([]);
});
