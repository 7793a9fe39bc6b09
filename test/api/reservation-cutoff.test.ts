// An organizer who reserves for the box office stops taking reservations
// payments.reservation.hoursBeforeShow before the show (default 2 h). The widget must not offer
// what checkout would then refuse: the bootstrap closes sales at that time, and a cart cannot be
// started. An organizer paid online (or with no such limit) sells until the performance's own close.
import { expect, test } from 'vitest';
import { SITE, world } from '../support/world.ts';

const origin = { origin: SITE };
const soon = 1.5 / 24; // the show starts in 90 minutes; its own sales close 30 minutes before

async function offer(settings: Record<string, unknown>) {
  const w = await world({ startsInDays: soon, settings });
  const boot = (await w.call('GET', `/api/v1/events/${w.slug}`)).body;
  const cart = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] }, origin);
  return { w, performance: boot.performances[0], cart };
}

test('box office: 90 minutes before the show, reservations (default 2 h before) are over — not offered, no cart', async () => {
  const { w, performance, cart } = await offer({});
  expect(performance.onSale).toBe(false);
  expect(performance.salesCloseAt).toBe(new Date(w.startsAt.getTime() - 2 * 3_600_000).toISOString());
  expect(cart.status).toBe(409);
  expect(cart.body.error).toMatchObject({ code: 'SALES_CLOSED', field: 'performanceId' });
});

test('box office with no limit before the show, or a shorter one: sold until the performance closes', async () => {
  for (const hoursBeforeShow of [null, 1]) {
    const { performance, cart } = await offer({ payments: { reservation: { hoursBeforeShow } } });
    expect(performance.onSale, String(hoursBeforeShow)).toBe(true);
    expect(cart.status, String(hoursBeforeShow)).toBe(201);
  }
});

test('paid online: the reservation limit does not apply', async () => {
  const { performance, cart } = await offer({ payments: { provider: 'yookassa', providers: { yookassa: { shopId: '1', secretKey: 'k' } } } });
  expect(performance.onSale).toBe(true);
  expect(cart.status).toBe(201);
});
