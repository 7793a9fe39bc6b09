// Never a blank box: what the site owner put inside the element shows until the widget has the
// event and stays when it cannot get it, beside a kind message that links the box office from
// the element's data-encore-support-* attributes (inline and in the modal).
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { browserWorld, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function openRepertoire() {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  // The bundle is in: from here on, new elements are mounted by it.
  await page.locator('[data-encore-event="hamlet"]').getByTestId('perf-option').first().waitFor();
  return { page, errors };
}

/** A widget element as a site owner writes it: their own words inside, the box office in attributes. */
function addElement(page: Page, id: string, mode: 'inline' | 'button') {
  return page.evaluate(
    ({ id, mode }) => {
      const el = document.createElement(mode === 'button' ? 'button' : 'div');
      el.id = id;
      el.setAttribute('data-encore-event', 'seagull');
      el.setAttribute('data-encore-support-phone', '+7 495 123-45-67');
      el.setAttribute('data-encore-support-email', 'boxoffice@riverside-theatre.example');
      if (mode === 'button') {
        el.setAttribute('data-encore-mode', 'button');
        el.textContent = 'Билеты на «Чайку»';
      } else {
        el.innerHTML = '<p class="own-fallback">Билеты можно купить в кассе театра: +7 495 123-45-67.</p>';
      }
      document.querySelector('main')!.append(el);
      // A widget far down the page loads as the visitor scrolls to it.
      el.scrollIntoView();
    },
    { id, mode },
  );
}

test("the site owner's content shows until the widget has the event, then gives way to it (left in their DOM)", async () => {
  const { page, errors } = await openRepertoire();
  await addElement(page, 'with-fallback', 'inline');
  const el = page.locator('#with-fallback');
  await el.getByTestId('perf-option').first().waitFor();
  expect(await el.locator('.own-fallback').count()).toBe(1);
  expect(await el.locator('.own-fallback').isVisible()).toBe(false);
  expect(await el.getByTestId('perf-option').first().isVisible()).toBe(true);
  expect(errors).toEqual([]);
});

test('with the ticket server down: the kind message, a retry that visibly retries, the box office linked, and the owner’s content', async () => {
  const { page, errors } = await openRepertoire();
  await world.site.stopApi();

  await addElement(page, 'inline-down', 'inline');
  const el = page.locator('#inline-down');
  const message = el.getByTestId('error-message');
  await message.waitFor();
  expect(await message.textContent()).toContain('Не удалось связаться с билетной системой');
  expect(await message.locator('a[href="tel:+74951234567"]').textContent()).toBe('+7 495 123-45-67');
  expect(await message.locator('a[href="mailto:boxoffice@riverside-theatre.example"]').count()).toBe(1);
  expect(await el.locator('.own-fallback').isVisible()).toBe(true);
  await el.screenshot({ path: 'test-results/screens/fallback-server-down.png' });

  // The retry goes back to "loading" before the answer, so the click is seen to do something.
  const states: string[] = [];
  await page.exposeFunction('encoreSawLoading', (text: string) => states.push(text));
  await el.evaluate((host) => {
    const root = host.querySelector('[data-encore-host]')!.shadowRoot!;
    new MutationObserver(() => {
      const status = root.querySelector('[role="status"]');
      if (status) (window as unknown as { encoreSawLoading: (t: string) => void }).encoreSawLoading(status.textContent ?? '');
    }).observe(root, { childList: true, subtree: true });
  });
  await el.getByTestId('retry').click();
  await message.waitFor();
  await expect.poll(() => states.length).toBeGreaterThan(0);
  expect(states[0]).toBe('Загрузка…');

  // Button mode: the modal says the same and links the box office.
  await addElement(page, 'button-down', 'button');
  await page.locator('#button-down').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('error-message').waitFor();
  expect(await dialog.locator('a[href="tel:+74951234567"]').count()).toBe(1);
  expect(errors).toEqual([]);
});
