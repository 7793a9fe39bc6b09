// axe-core on every page of the organizer console, in Chromium, in both languages: the sign-in
// page, the events list, an event with its performances and ticket types (forms open, errors
// shown, a list picker open), the widget settings with the live preview, recovery with the email
// preview, stats, webhooks with a delivery log, sites and API keys; and on a phone with the menu
// open. WCAG 2.1 A/AA and best practices: no violation anywhere.
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, settled } from '../support/browser.ts';

const world = browserWorld();
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await world.open());
});

/** Violations as readable lines, so a failure says what and where. */
async function check(what: string) {
  await settled(page);
  const found = await axeViolations(page);
  expect(
    found.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`),
    what,
  ).toEqual([]);
}

const go = async (path: string, ready: string) => {
  await page.goto(`${world.site.apiBase}/console/${path}`);
  await page.getByTestId(ready).first().waitFor();
};

test('the sign-in page, empty and with an error', async () => {
  await page.goto(`${world.site.apiBase}/console`);
  await page.getByTestId('signin-email').waitFor();
  await check('sign-in');
  await page.getByTestId('signin-email').fill('not an address');
  await page.getByTestId('signin-submit').click();
  await page.locator('.field-error').first().waitFor();
  await check('sign-in with errors');
  await page.getByTestId('signin-email').fill(DEMO_ORGANIZER_EMAIL);
  await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('event-list').waitFor();
});

test('events: the list, archived events shown, the new-event form with errors and an open picker', async () => {
  await go('events', 'event-list');
  await check('events');
  await page.getByTestId('events-show-archived').click();
  await page.getByText('В архиве событий нет.').waitFor();
  const form = page.getByTestId('new-event');
  await form.getByTestId('event-slug').fill('Bad Slug');
  await form.getByTestId('event-create').click();
  await form.locator('.field-error').first().waitFor();
  await form.getByTestId('event-tz').fill('Моск');
  await page.getByRole('listbox').waitFor();
  await check('events with errors and an open time-zone list');
  await page.screenshot({ path: '/tmp/console-a11y-events.png', fullPage: true });
});

test('an event: details, performances and ticket types, with their forms open and archived ones shown', async () => {
  await go('events', 'event-list');
  await page.getByTestId('event-list').getByRole('link').first().click();
  await page.getByTestId('perf-row').first().waitFor();
  await check('event detail');
  const row = page.getByTestId('perf-row').first();
  await row.getByRole('button', { name: 'Изменить' }).click();
  await row.getByTestId('perf-duplicate').click();
  await page.getByTestId('tt-row').first().getByRole('button', { name: 'Изменить' }).click();
  await page.getByTestId('tt-add-submit').click();
  await page.getByTestId('tt-add').locator('.field-error').first().waitFor();
  await check('event detail with forms open and errors');
  await page.getByTestId('perf-row').last().getByTestId('perf-archive').click();
  await page.getByTestId('perf-show-archived').click();
  await page.locator('.perf-row.archived').waitFor();
  await check('event detail with an archived performance shown');
  await page.getByTestId('perf-row').last().getByTestId('perf-restore').click();
  await page.getByTestId('perf-show-archived').waitFor({ state: 'detached' });
});

test('widget settings with the live preview', async () => {
  await go('widget', 'widget-preview');
  await check('widget');
});

test('recovery settings with the email preview', async () => {
  await go('recovery', 'email-subject');
  await check('recovery');
});

test('stats, with a definition shown', async () => {
  await go('stats', 'funnel');
  await check('stats');
  await page.locator('.term-name').first().focus();
  await page.locator('.term-tip').first().waitFor({ state: 'visible' });
  await check('stats with a definition shown');
});

test('webhooks with an endpoint and its delivery log', async () => {
  await go('webhooks', 'nav-webhooks');
  await page.getByLabel(/^Адрес/).fill('https://crm.example/hooks/encore');
  await page.getByRole('button', { name: 'Добавить адрес' }).click();
  await page.getByTestId('endpoint').waitFor();
  await page.getByTestId('endpoint').getByRole('button', { name: 'Журнал доставки' }).click();
  await page.getByText('Доставок пока не было.').waitFor();
  await check('webhooks');
});

test('sites and API keys, with a new key shown', async () => {
  await go('settings', 'snippet-code');
  await check('settings');
  await page.getByLabel('Название ключа').fill('Скрипт кассы');
  await page.getByRole('button', { name: 'Создать ключ' }).click();
  await page.locator('.message.good code').waitFor();
  await check('settings with a new key');
});

test('the same in English, and nothing thrown', async () => {
  await page.getByTestId('lang-en').click();
  for (const [path, ready] of [
    ['events', 'event-list'],
    ['stats', 'funnel'],
    ['settings', 'snippet-code'],
  ] as const) {
    await go(path, ready);
    await check(`${path} (en)`);
  }
  await page.screenshot({ path: '/tmp/console-a11y-settings-en.png', fullPage: true });
  // A phone: the navigation behind its menu button.
  await page.setViewportSize({ width: 375, height: 812 });
  await go('stats', 'funnel');
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByTestId('nav-events').waitFor();
  await check('stats on a phone, menu open');
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(errors).toEqual([]);
});
