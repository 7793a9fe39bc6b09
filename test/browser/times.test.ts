// Times read as what they are: performance times name the venue's zone when the visitor is in
// another one, and the hold says until when on the visitor's clock and how long is left (not
// "held for 15:00"), while screen readers hear it once a minute, not every second.
import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { browserWorld, until, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** The demo repertoire as a visitor in `timezoneId` sees it; the demo venue is in Europe/Moscow. */
async function visit(timezoneId: string, locale = 'ru-RU') {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale, timezoneId });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().waitFor();
  return { page, widget, errors };
}

test('performance times name the zone only for a visitor in another zone', async () => {
  const away = await visit('Asia/Yekaterinburg');
  const awayText = (await away.widget.getByTestId('perf-option').first().textContent())!;
  expect(awayText).toMatch(/(MSK|GMT\+3)$/);

  const home = await visit('Europe/Moscow');
  const homeText = (await home.widget.getByTestId('perf-option').first().textContent())!;
  expect(homeText).not.toMatch(/MSK|GMT/);
  // The same moment, in the venue's time either way.
  expect(awayText.startsWith(homeText)).toBe(true);
  expect([...away.errors, ...home.errors]).toEqual([]);
});

test('the hold says until when on the visitor’s clock and how long is left; the live region speaks per minute', async () => {
  const { widget, errors } = await visit('Asia/Yekaterinburg');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  const countdown = widget.getByTestId('countdown');
  await countdown.waitFor();

  const cart = await until(() => world.site.db.selectFrom('carts').select('hold_expires_at').orderBy('created_at', 'desc').executeTakeFirst(), 'the cart');
  const clock = new Intl.DateTimeFormat('ru', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Yekaterinburg' }).format(new Date(cart.hold_expires_at!));
  const hold = widget.locator('.hold');
  expect(await hold.textContent()).toContain(`Билеты забронированы до ${clock}`);
  expect(await countdown.textContent()).toMatch(/^осталось 1[45]:\d\d$/);

  // The countdown ticks silently (role=timer, no live region of its own); the announcement moves per minute.
  expect(await countdown.getAttribute('role')).toBe('timer');
  expect(await countdown.getAttribute('aria-live')).toBeNull();
  const live = hold.locator('[aria-live="polite"]');
  const before = { tick: await countdown.textContent(), said: await live.textContent() };
  await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(before.tick);
  expect(await live.textContent()).toBe(before.said);
  expect(before.said).toMatch(/^Осталось минут до конца брони: 1[45]$/);
  expect(errors).toEqual([]);
});

test('date formatters are made once, not on every render (the countdown re-renders every second)', async () => {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg' });
  contexts.push(context);
  await context.addInitScript(() => {
    let made = 0;
    const Real = Intl.DateTimeFormat;
    Intl.DateTimeFormat = new Proxy(Real, {
      construct: (target, args) => {
        made++;
        return new target(...(args as []));
      },
      apply: (target, self, args) => {
        made++;
        return Reflect.apply(target, self, args);
      },
    });
    (window as unknown as { formattersMade: () => number }).formattersMade = () => made;
  });
  const page = await context.newPage();
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  const countdown = widget.getByTestId('countdown');
  await countdown.waitFor();
  const made = () => page.evaluate(() => (window as unknown as { formattersMade: () => number }).formattersMade());
  const before = { made: await made(), tick: await countdown.textContent() };
  await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(before.tick);
  await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(await countdown.textContent());
  expect(await made()).toBe(before.made);
});

test('in English: "held until" and "… left"', async () => {
  const { page } = await visit('Europe/Moscow', 'en-GB');
  // The demo page is Russian (<html lang="ru">): this element asks for English.
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.id = 'english';
    el.setAttribute('data-encore-event', 'seagull');
    el.setAttribute('data-encore-locale', 'en');
    document.querySelector('main')!.append(el);
  });
  const widget = page.locator('#english');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  expect(await widget.locator('.hold').textContent()).toMatch(/^Tickets held until \d\d:\d\d/);
  expect(await widget.getByTestId('countdown').textContent()).toMatch(/^1[45]:\d\d left$/);
});
