// Box-office reservations expire: the organizer's limits (hours after booking, hours before the
// show) set the order's expires_at at checkout, and the recovery loop's expire job releases the
// seats of a reservation left unpaid, as it does for an online order whose payment time ran out.
import { expect, test } from 'vitest';
import { createApiKey } from '../server/domain/console-accounts.ts';
import { world } from './support/world.ts';

async function consoleSettings(w: Awaited<ReturnType<typeof world>>) {
  const { key } = await createApiKey(w.db, w.organizerId, 'test', w.clock.now());
  return (method: string, body?: unknown) => w.call(method, '/api/console/v1/settings', body, { authorization: `Bearer ${key}` });
}

test('reservation limits: defaults, set field by field through the console, null for no limit, bad values refused by field', async () => {
  const w = await world();
  const settings = await consoleSettings(w);
  expect((await settings('GET')).body.payments.reservation).toEqual({ hoursAfterBooking: 72, hoursBeforeShow: 2 });

  const one = await settings('PATCH', { payments: { reservation: { hoursBeforeShow: 24 } } });
  expect(one.status).toBe(200);
  expect(one.body.payments.reservation).toEqual({ hoursAfterBooking: 72, hoursBeforeShow: 24 });
  const none = await settings('PATCH', { payments: { reservation: { hoursAfterBooking: null } } });
  expect(none.body.payments.reservation).toEqual({ hoursAfterBooking: null, hoursBeforeShow: 24 });
  expect((await settings('GET')).body.payments.reservation).toEqual({ hoursAfterBooking: null, hoursBeforeShow: 24 });

  for (const [reservation, field] of [
    [{ hoursAfterBooking: 0 }, 'payments.reservation.hoursAfterBooking'],
    [{ hoursAfterBooking: 1.5 }, 'payments.reservation.hoursAfterBooking'],
    [{ hoursBeforeShow: -1 }, 'payments.reservation.hoursBeforeShow'],
    [{ hoursBeforeShow: '2' }, 'payments.reservation.hoursBeforeShow'],
    [{ hoursAfterBooking: 100_000 }, 'payments.reservation.hoursAfterBooking'],
    [{ daysBefore: 1 }, 'payments.reservation.daysBefore'],
  ] as const) {
    const res = await settings('PATCH', { payments: { reservation } });
    expect(res.status, JSON.stringify(reservation)).toBe(400);
    expect(JSON.stringify(res.body.error), JSON.stringify(reservation)).toContain(field);
  }
  expect((await settings('GET')).body.payments.reservation).toEqual({ hoursAfterBooking: null, hoursBeforeShow: 24 });
});
