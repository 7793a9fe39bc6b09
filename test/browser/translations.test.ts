// An English visitor on the demo theatre's Russian site (the "For English-speaking guests" button,
// data-encore-locale="en") reads the event, venue and ticket types in English, as the demo
// theatre gave them, and the cart the server sends back names the tickets in English too; the
// Russian button on the same page stays Russian. In the Russian console the organizer finds the
// English names beside the Russian ones, labelled as optional, with errors in Russian.
import type { BrowserContext, Locator } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { browserWorld, signIn, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function openHamlet(button: string) {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/tickets.html`);
  await page.locator(button).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('perf-option').first().waitFor();
  return { page, dialog, errors };
}

const ticketNames = (dialog: Locator) => dialog.locator('.tt-name').allTextContents();

test('an English visitor sees the English title, venue and ticket type names, in the picker and in the cart', async () => {
  const { dialog, errors } = await openHamlet('button[data-encore-event="hamlet"][data-encore-locale="en"]');
  expect(await dialog.locator('.title').textContent()).toBe('Hamlet');
  expect(await dialog.getByRole('region', { name: 'Hamlet', exact: true }).count()).toBe(1);
  expect(await dialog.locator('.head .muted').textContent()).toContain('Main Stage, 12 River Embankment');

  await dialog.getByTestId('perf-option').first().click();
  expect(await ticketNames(dialog)).toEqual(['Stalls', 'Balcony', 'Student']);
  await dialog.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await dialog.getByTestId('continue').click();
  // The summary lists what the server's cart says, named in the cart's locale.
  expect(await dialog.locator('.summary li').first().textContent()).toMatch(/^1 × Stalls/);
  expect(await dialog.textContent()).not.toMatch(/Гамлет|Партер|Основная сцена/);
  expect(errors).toEqual([]);
});

test('the Russian button beside it shows the Russian names', async () => {
  const { dialog, errors } = await openHamlet('button[data-encore-event="hamlet"]:not([data-encore-locale])');
  expect(await dialog.locator('.title').textContent()).toBe('Гамлет');
  expect(await dialog.locator('.head .muted').textContent()).toContain('Основная сцена, наб. Реки, 12');
  await dialog.getByTestId('perf-option').first().click();
  expect(await ticketNames(dialog)).toEqual(['Партер', 'Балкон', 'Студенческий']);
  expect(errors).toEqual([]);
});

test('the Russian console shows the English names beside the Russian ones, checks them, and the widget shows what was saved', async () => {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signIn(page, world.site);
  await page.getByTestId('event-list').getByRole('link', { name: 'Гамлет' }).click();

  // The demo theatre's default language is Russian: the other one is English, each field labelled so.
  const label = async (input: Locator) => page.locator(`label[for="${await input.getAttribute('id')}"]`).textContent();
  const title = page.getByTestId('event-title-en');
  await title.waitFor();
  expect(await label(title)).toBe(ru.translations.title(ru.translations.language.en));
  expect(await title.inputValue()).toBe('Hamlet');
  expect(await page.getByTestId('event-title').inputValue()).toBe('Гамлет');
  const venue = page.getByTestId('event-venue-en');
  expect(await label(venue)).toBe(ru.translations.venue(ru.translations.language.en));
  expect(await venue.inputValue()).toBe('Main Stage, 12 River Embankment');
  expect(await page.getByTestId('event-description-en').inputValue()).toMatch(/^William Shakespeare/);

  // Too long: marked under the field, in Russian; nothing saved.
  await title.fill('H'.repeat(201));
  await page.getByRole('button', { name: ru.save }).first().click();
  await page.locator('.field-error').first().waitFor();
  const describedBy = (await title.getAttribute('aria-describedby'))!.split(' ');
  const texts = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
  expect(texts).toContain(ru.errors.fields['translations.title']);
  expect(await title.getAttribute('aria-invalid')).toBe('true');

  // Markup is text: saved and shown as typed.
  await title.fill('Hamlet <i>(in English)</i>');
  await page.getByRole('button', { name: ru.save }).first().click();
  await page.getByText(ru.saved).waitFor();
  const row = page.getByTestId('tt-row').first();
  await row.getByRole('button', { name: ru.edit }).click();
  const name = row.getByTestId('tt-name-en');
  expect(await label(name)).toBe(ru.translations.name(ru.translations.language.en));
  expect(await name.inputValue()).toBe('Stalls');
  await name.fill('Front stalls');
  await row.getByRole('button', { name: ru.save }).click();
  await name.waitFor({ state: 'detached' });

  const { dialog } = await openHamlet('button[data-encore-event="hamlet"][data-encore-locale="en"]');
  expect(await dialog.locator('.title').textContent()).toBe('Hamlet <i>(in English)</i>');
  expect(await dialog.locator('.title i').count()).toBe(0);
  await dialog.getByTestId('perf-option').first().click();
  expect((await ticketNames(dialog))[0]).toBe('Front stalls');
  expect(errors).toEqual([]);
});
