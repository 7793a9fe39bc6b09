// Money that arrives for an order the box office cancelled while the buyer was on the payment
// page is owed back (refund_due, for the refund job): back on the theatre's page the widget says
// the money is being returned, not a generic failure or "choose again".
import type { Trx } from '../../server/platform/db/database.ts';
import { expect, test } from 'vitest';
import { cancelOrder } from '../../server/console/orders.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, watchPageErrors } from '../support/browser.ts';

const world = browserWorld({ payments: 'demo' });

test('paid after the order was cancelled: the widget says the money is being returned', async () => {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  await widget.getByTestId('email').fill('late@example.com');
  await widget.getByTestId('name').fill('Анна Каренина');
  const phone = widget.getByTestId('phone');
  if (await phone.count()) await phone.fill('+7 999 123-45-67');
  await widget.getByTestId('consent').check();
  await widget.getByTestId('checkout').click();
  await page.waitForURL(/\/payments\/demo\//);

  // What a late success does (payments/lifecycle.ts applyOutcome, tested through the API in
  // test/api/refunds.test.ts): the order stays cancelled and the payment is owed back. The demo page
  // itself no longer takes money for a cancelled order, so the buyer comes back from elsewhere.
  const order = await world.site.db.selectFrom('orders').selectAll().where('buyer_email', '=', 'late@example.com').executeTakeFirstOrThrow();
  await cancelOrder(world.site.db as Trx, order.organizer_id, order.id, new Date(), 'test');
  const payment = await world.site.db.selectFrom('payments').select('id').where('order_id', '=', order.id).executeTakeFirstOrThrow();
  await world.site.db.updateTable('payments').set({ status: 'refund_due' }).where('id', '=', payment.id).execute();
  await page.goto(`${world.site.apiBase}/payments/return/${payment.id}`);
  await page.waitForURL(`${world.site.demoBase}/repertoire.html**`);
  const message = widget.getByTestId('error-message');
  await message.waitFor();
  expect(await message.textContent()).toContain('Деньги возвращаются вам');
  await widget.screenshot({ path: '/tmp/widget-payment-refunded.png' });
  expect(await axeViolations(page, '[data-encore-event="hamlet"]')).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
