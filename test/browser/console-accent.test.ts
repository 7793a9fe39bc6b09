// The console warns, in its own language, when the accent colour an organizer picks is hard to
// read on white, and says what the widget and emails will draw instead — the colours the shared
// contrast function gives, which the widget then really uses.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { widgetAccentColors } from '../../widget/theme.ts';
import { browserWorld, signIn, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();

beforeAll(async () => {
  mkdirSync('test-results/screens', { recursive: true });
});

async function widgetSettings(locale: 'ru' | 'en'): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: locale === 'ru' ? 'ru-RU' : 'en-GB' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signIn(page, world.site);
  await page.getByTestId('nav-widget').click();
  await page.getByTestId('accent-hex').waitFor();
  return { page, errors, close: () => context.close() };
}

test('Russian console: a light or mid-tone accent gets a warning naming the adjustments; the default and a dark one none', async () => {
  const { page, errors, close } = await widgetSettings('ru');
  const warning = page.getByTestId('accent-contrast');
  expect(await page.getByTestId('accent-hex').inputValue()).toBe('#8b1e3f');
  expect(await warning.count()).toBe(0);

  await page.getByTestId('accent-hex').fill('#fff59d');
  await warning.waitFor({ timeout: 5000 });
  const light = widgetAccentColors('#fff59d');
  expect(await warning.textContent()).toContain('Этот цвет плохо читается на белом (1,1:1; для текста нужно 4,5:1)');
  expect(await warning.textContent()).toMatch(/Текст на кнопках этого цвета будет чёрным \(18,\d:1\)\./);
  expect(await warning.textContent()).toContain(`Ссылки будут более тёмного оттенка: ${light.link}.`);
  expect(await warning.textContent()).toContain(`Рамка фокуса и выбранная дата будут цвета ${light.ring}.`);
  expect(await warning.getAttribute('role')).toBe('status');
  await page.locator('.card', { has: warning }).screenshot({ path: 'test-results/screens/console-accent-warning.png' });

  await page.getByTestId('accent-hex').fill('#2ecc71');
  await page.waitForFunction(() => document.querySelector('[data-testid="accent-contrast"]')?.textContent?.includes('2,1:1'));
  expect(await warning.textContent()).toContain(widgetAccentColors('#2ecc71').link);

  await page.getByTestId('accent-hex').fill('#1e5a8b');
  await warning.waitFor({ state: 'detached' });
  expect(errors).toEqual([]);
  await close();
});

test('English console: the same warning in English', async () => {
  const { page, close } = await widgetSettings('en');
  await page.evaluate(() => localStorage.setItem('encore-console-locale', 'en'));
  await page.reload();
  await page.getByTestId('accent-hex').fill('#e67e22');
  const warning = page.getByTestId('accent-contrast');
  await warning.waitFor({ timeout: 5000 });
  expect(await warning.textContent()).toContain('This colour is hard to read on white (2.8:1; text needs 4.5:1)');
  expect(await warning.textContent()).toMatch(/Text on buttons of this colour will be black \(7\.\d:1\)\./);
  expect(await warning.textContent()).toContain(`Links will be a darker shade: ${widgetAccentColors('#e67e22').link}.`);
  await close();
});
