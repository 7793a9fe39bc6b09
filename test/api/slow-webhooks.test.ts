// A slow webhook endpoint does not delay mail. Twenty buyers leave their carts; the organizer's
// CRM is subscribed to cart.abandoned and takes seconds to answer each delivery. The recovery
// loop runs as in production (start(), not a test-driven round): the abandonment scan queues 20
// reminders and 20 webhook deliveries at once. Every reminder arrives while the webhook requests
// are still waiting for their answers, and the deliveries complete afterwards. Before the job
// queue, mail went only after the round's webhooks (20 reminders took 70 s instead of 10 s).
//
// The endpoint holds each request until the test lets it go (at most 8 s, inside the 10 s request
// timeout), so the assertion is about order, not wall-clock thresholds.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { newId } from '../../server/platform/ids.ts';
import { recoveryWorld } from '../support/recovery-world.ts';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  for (const deadline = Date.now() + ms; !(await condition()); await sleep(20)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
  }
}

/** A CRM that answers each request when let go, or after 8 s. */
async function slowEndpoint() {
  const held: ServerResponse[] = [];
  let answered = 0;
  let requests = 0;
  const answer = (res: ServerResponse) => {
    if (res.writableEnded) return;
    answered += 1;
    res.writeHead(200).end('ok');
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      held.push(res);
      setTimeout(() => answer(res), 8_000).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    letGo: () => held.splice(0).forEach(answer),
    get answered() {
      return answered;
    },
    get requests() {
      return requests;
    },
  };
}

test('20 reminders go out while a slow webhook endpoint is still answering the same scan’s deliveries', async () => {
  const w = await recoveryWorld({ startsInDays: 10, capacity: 100 });
  const crm = await slowEndpoint();
  await w.db
    .insertInto('webhook_endpoints')
    .values({
      id: newId('whe'),
      organizer_id: w.organizerId,
      url: crm.url,
      secret: 'whsec_test',
      events: JSON.stringify(['cart.abandoned']),
      active: 1,
      created_at: w.clock.now().toISOString(),
    })
    .execute();
  for (let i = 0; i < 20; i++) await w.leaveCart({ email: `guest${i}@example.com`, quantity: 1 });
  w.clock.advance(91); // idle 30 min: abandoned; the first reminder is due an hour later

  w.jobs.start(20);
  closers.unshift(() => w.jobs.stop()); // before the endpoint closes: stop() waits for requests in flight
  await until(() => w.inbox().length === 20, 'the 20 reminders');
  // All mail went while the CRM had requests open and had answered none of them.
  expect(crm.requests).toBeGreaterThan(0);
  expect(crm.answered).toBe(0);

  await until(async () => {
    crm.letGo();
    const delivered = await w.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'delivered').execute();
    return delivered.length === 20;
  }, 'the 20 deliveries');
  expect(crm.answered).toBe(20);
  expect(new Set(w.inbox().map((m) => m.to.join())).size).toBe(20);
}, 120_000);
