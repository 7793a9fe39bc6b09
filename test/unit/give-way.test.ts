// Housekeeping in the API process lets requests in flight go first, but never waits for ever.
import { Hono } from 'hono';
import { expect, test } from 'vitest';
import { createRequestGate } from '../../server/platform/jobs/give-way.ts';

test('a unit of housekeeping waits for the requests in flight, and at most maxWaitMs', async () => {
  const gate = createRequestGate(2_000);
  const app = new Hono();
  app.use('*', gate.middleware);
  let finish!: () => void;
  app.get('/slow', async (c) => {
    await new Promise<void>((resolve) => (finish = resolve));
    return c.text('done');
  });
  const request = app.request('/slow');
  await new Promise((resolve) => setTimeout(resolve, 10));
  let passed = false;
  const waiting = gate.giveWay().then(() => (passed = true));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(passed).toBe(false);
  finish();
  await request;
  await waiting;
  expect(passed).toBe(true);

  const bounded = createRequestGate(50);
  const stuck = new Hono();
  stuck.use('*', bounded.middleware);
  stuck.get('/never', () => new Promise<Response>(() => {}));
  void stuck.request('/never');
  const t = performance.now();
  await bounded.giveWay();
  expect(performance.now() - t).toBeGreaterThanOrEqual(45);
  expect(performance.now() - t).toBeLessThan(2_000);
});
