// The console's live preview: the organizer walks the widget to its done screen with unsaved
// settings, in Chromium, and no cart, hold or order is left behind.
import { expect, test } from 'vitest';
import { parseSettings } from '../../server/sales/settings.ts';
import { signPreview } from '../../server/sales/preview-token.ts';
import { browserWorld, watchPageErrors } from '../support/browser.ts';
import { axeViolations } from '../support/axe.ts';

const SECRET = 'preview-walk-secret-0123456789abcdef';
const world = browserWorld({ secret: SECRET });

const count = async (table: 'carts' | 'orders' | 'holds') =>
  Number(
    (
      await world.site.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the preview walks tickets, details, consent and done with the draft, holding and selling nothing', async () => {
  const event = await world.site.db
    .selectFrom('events')
    .innerJoin('organizers', 'organizers.id', 'events.organizer_id')
    .select(['events.organizer_id', 'organizers.settings'])
    .where('events.slug', '=', 'hamlet')
    .executeTakeFirstOrThrow();
  const draft = { ...parseSettings(event.settings), consentMode: 'opt-in' as const, buttonTexts: { ru: { checkout: 'Проверить заказ' } } };
  const { token } = signPreview(SECRET, event.organizer_id, draft, new Date());

  const context = await world.browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.apiBase}/console/preview/hamlet?token=${encodeURIComponent(token)}&locale=ru`);
  await expect.poll(() => page.getByTestId('preview-note').textContent()).toMatch(/не держит мест/);
  const widget = page.getByTestId('preview-inline');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  await widget.getByTestId('email').fill('organizer@example.com');
  await widget.getByTestId('name').fill('Проверка');
  const phone = widget.getByTestId('phone');
  if (await phone.count()) await phone.fill('+7 999 123-45-67');
  await widget.getByTestId('consent').check();
  // The draft's button text, not the saved one.
  expect(await widget.getByTestId('checkout').textContent()).toContain('Проверить заказ');
  await widget.getByTestId('checkout').click();
  await widget.getByTestId('order-number').waitFor();
  expect(await widget.getByTestId('ticket-code').count()).toBe(1);
  // A rehearsed order has no page to link (it was rolled back).
  expect(await widget.getByTestId('order-page').count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  expect({ carts: await count('carts'), orders: await count('orders'), holds: await count('holds') }).toEqual({ carts: 0, orders: 0, holds: 0 });
  expect(errors).toEqual([]);
  await context.close();
});
