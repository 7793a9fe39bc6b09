// Webhooks end to end: real checkouts and recovery rounds emit events, `webhook` jobs
// POST them to a real HTTP receiver on 127.0.0.1, and the receiver checks every signature
// with the exported verifyWebhookSignature, as an organizer's CRM would.
import { Hono } from 'hono';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { ConsoleEnv } from '../../server/console/env.ts';
import { consoleWebhooksApi } from '../../server/webhooks/console-routes.ts';
import { notFound, onError } from '../../server/platform/http/errors.ts';
import { writeTransactions, type Db, type WriteTransaction } from '../../server/platform/db/database.ts';
import { claimJobs, markJob } from '../../server/platform/jobs/jobs-db.ts';
import type { Store } from '../../server/store.ts';
import { signWebhook, verifyWebhookSignature, type VerifyResult } from '../../server/webhooks/signature.ts';
import { emitWebhook, type WebhookPayload } from '../../server/webhooks/events.ts';
import { MAX_ENDPOINTS_PER_ORGANIZER } from '../../server/webhooks/endpoints.ts';
import { createJobRunner } from '../../server/platform/jobs/runner.ts';
import { publicFetch } from '../../server/webhooks/address-guard.ts';
import { createWebhookHandler } from '../../server/webhooks/delivery-job.ts';
import { recoveryWorld, resumeTokenFrom } from '../support/recovery-world.ts';
import { bearer, makeEvent, world, type Clock } from '../support/world.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: WebhookPayload;
  verified: VerifyResult;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** The job runner with only the webhook kind: one drain, its result in delivery terms. */
function createWebhookDeliveryWorker(o: {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  fetch?: typeof fetch;
  batchSize?: number;
  log?: (line: string) => void;
}) {
  const runner = createJobRunner({ db: o.db, tx: o.tx, now: o.now, log: o.log ?? (() => {}) });
  // The receivers here listen on loopback, which production refuses (address-guard.ts).
  runner.register(
    'webhook',
    createWebhookHandler({ db: o.db, now: o.now, fetch: o.fetch ?? publicFetch({ allowLoopback: true }), batchSize: o.batchSize, log: o.log }),
  );
  return {
    async runOnce() {
      const { result } = await runner.drainKind('webhook');
      return { claimed: result.claimed, delivered: result.done, retried: result.retried, failed: result.failed };
    },
  };
}

/** A CRM's webhook handler: verifies, records, answers with the next scripted status (then 200). */
async function receiver(clock: Clock) {
  const r = { secret: '', statuses: [] as number[], received: [] as Received[], url: '' };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const header = req.headers['encore-signature'] as string | undefined;
      const verified = verifyWebhookSignature({ secret: r.secret, header, body, now: clock.now() });
      r.received.push({ headers: req.headers, body, json: JSON.parse(body), verified });
      const status = verified.ok ? (r.statuses.shift() ?? 200) : 400;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : `status ${status}`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/encore`;
  return r;
}

/**
 * The console sub-app on a bare Hono, with a stand-in for the console's auth middleware that
 * takes the organizer from a header. Authentication itself is tested with the console's auth.
 */
function consoleHost(store: Store, allowLoopbackWebhooks = true) {
  const host = new Hono<ConsoleEnv>();
  host.onError(onError((line) => console.error(line)));
  host.notFound(notFound);
  host.use('*', async (c, next) => {
    c.set('organizerId', c.req.header('x-organizer')!);
    c.set('userId', null);
    await next();
  });
  host.route('/api/console/v1/webhooks', consoleWebhooksApi(store, { allowLoopbackWebhooks }));
  return async (organizerId: string, method: string, path: string, body?: unknown) => {
    const res = await host.request(`/api/console/v1/webhooks${path === '/' ? '' : path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-organizer': organizerId },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

/** A world, a receiver, a console, the worker, and an endpoint subscribed to everything. */
async function webhookWorld(o: { events?: string[] } = {}) {
  const w = await world({ startsInDays: 10 });
  const store: Store = { db: w.db, tx: writeTransactions(w.db), now: w.clock.now };
  const hook = await receiver(w.clock);
  const console = consoleHost(store);
  const created = await console(w.organizerId, 'POST', '/', { url: hook.url, events: o.events ?? ['order.completed', 'cart.abandoned', 'cart.recovered'] });
  expect(created.status).toBe(201);
  hook.secret = created.body.endpoint.secret;
  const logs: string[] = [];
  const worker = createWebhookDeliveryWorker({ db: w.db, tx: store.tx, now: w.clock.now, log: (l) => logs.push(l) });

  async function buy(email = 'anna@example.com') {
    const cart = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 2 }] });
    const auth = bearer(cart.body.token);
    await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email, name: 'Anna' } }, auth);
    const order = await w.call('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, auth);
    expect(order.status).toBe(201);
    return order.body.order;
  }
  return { ...w, store, hook, console, worker, logs, endpoint: created.body.endpoint, buy };
}

const deliveries = (db: Db) => db.selectFrom('webhook_deliveries').selectAll().orderBy('created_at').orderBy('id').execute();

describe('delivery and signatures', () => {
  test('a checkout emits order.completed, delivered once with a valid signature and the documented headers', async () => {
    const w = await webhookWorld();
    const order = await w.buy();
    expect(await w.worker.runOnce()).toEqual({ claimed: 1, delivered: 1, retried: 0, failed: 0 });
    expect(w.hook.received).toHaveLength(1);
    const got = w.hook.received[0]!;
    expect(got.verified.ok).toBe(true);
    const [row] = await deliveries(w.db);
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Encore-Webhooks/1',
      'encore-event': 'order.completed',
      'encore-delivery': row!.id,
    });
    expect(got.json).toEqual({
      id: row!.event_id,
      type: 'order.completed',
      createdAt: '2026-12-01T09:00:00.000Z',
      data: {
        order: { id: order.id, number: order.number, total: 300000, currency: 'RUB', tickets: 2, createdAt: '2026-12-01T09:00:00.000Z' },
        buyer: { email: 'anna@example.com', name: 'Anna', answers: {} },
        eventSlug: w.slug,
        performance: { id: w.performanceId, startsAt: w.startsAt.toISOString() },
        recoveredVia: null,
      },
    });
    expect(row!.event_id).toMatch(/^evt_/);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200, delivered_at: '2026-12-01T09:00:00.000Z' });
    expect(await w.worker.runOnce()).toMatchObject({ claimed: 0 });
  });

  test('a tampered body, a 10-minute-old timestamp, or another secret fail verification', async () => {
    const w = await webhookWorld();
    await w.buy();
    await w.worker.runOnce();
    const { body, headers } = w.hook.received[0]!;
    const header = headers['encore-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const check = (o: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret: w.hook.secret, header, body, now: w.clock.now(), ...o });
    expect(check({})).toMatchObject({ ok: true });
    expect(check({ body: body.replace('"total":300000', '"total":1') })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check({ now: new Date(w.clock.now().getTime() + 10 * 60_000) })).toMatchObject({ ok: false, reason: expect.stringContaining('tolerance') });
    expect(check({ secret: 'whsec_someone-else' })).toMatchObject({ ok: false });
    expect(check({ header: header.replace(/v1=.*/, 'v1=00') })).toMatchObject({ ok: false });
    expect(check({ header: undefined })).toMatchObject({ ok: false });
    // Re-signing an old body with a fresh timestamp needs the secret; with it, it verifies.
    expect(check({ header: signWebhook({ secret: w.hook.secret, body, now: w.clock.now() }) })).toMatchObject({ ok: true });
  });

  test('a receiver answering 500 gets the same delivery again after the 1-minute backoff', async () => {
    const w = await webhookWorld();
    w.hook.statuses.push(500);
    await w.buy();
    expect(await w.worker.runOnce()).toMatchObject({ retried: 1 });
    expect((await deliveries(w.db))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500 status 500',
      due_at: '2026-12-01T09:01:00.000Z',
    });
    w.clock.advance(0.5);
    expect(await w.worker.runOnce()).toMatchObject({ claimed: 0 });
    w.clock.advance(0.5);
    expect(await w.worker.runOnce()).toMatchObject({ delivered: 1 });
    const [first, second] = w.hook.received;
    expect(second!.headers['encore-delivery']).toBe(first!.headers['encore-delivery']);
    expect(second!.json.id).toBe(first!.json.id);
    expect(second!.verified.ok).toBe(true);
    expect(second!.headers['encore-signature']).not.toBe(first!.headers['encore-signature']);
    expect((await deliveries(w.db))[0]).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200, last_error: null });
  });

  test('8 failures in a row, spaced 1, 5, 30, 120, 720, 720, 720 minutes apart, end as failed', async () => {
    const w = await webhookWorld();
    w.hook.statuses.push(...Array(10).fill(503));
    await w.buy();
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      await w.worker.runOnce();
      const row = (await deliveries(w.db))[0]!;
      if (row.status === 'failed') break;
      const gap = (Date.parse(row.due_at) - w.clock.now().getTime()) / 60_000;
      gaps.push(gap);
      w.clock.advance(gap);
    }
    expect(gaps).toEqual([1, 5, 30, 120, 720, 720, 720]);
    expect(w.hook.received).toHaveLength(8);
    expect((await deliveries(w.db))[0]).toMatchObject({ status: 'failed', attempts: 8, last_status_code: 503 });
    w.clock.advance(24 * 60);
    expect(await w.worker.runOnce()).toMatchObject({ claimed: 0 });
  });

  test('an unreachable receiver is retried with the network error recorded', async () => {
    const w = await webhookWorld();
    await w.buy();
    const worker = createWebhookDeliveryWorker({
      db: w.db,
      tx: w.store.tx,
      now: w.clock.now,
      fetch: async () => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      },
    });
    expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    expect((await deliveries(w.db))[0]).toMatchObject({ status: 'pending', last_status_code: null, last_error: 'the connection failed' });
  });

  test('410 Gone disables the endpoint: the delivery fails and later events are not queued for it', async () => {
    const w = await webhookWorld();
    w.hook.statuses.push(410);
    await w.buy('one@example.com');
    expect(await w.worker.runOnce()).toMatchObject({ failed: 1 });
    expect((await deliveries(w.db))[0]).toMatchObject({ status: 'failed', last_status_code: 410 });
    const listed = await w.console(w.organizerId, 'GET', '/');
    expect(listed.body.endpoints[0]).toMatchObject({ id: w.endpoint.id, active: false });
    await w.buy('two@example.com');
    expect(await deliveries(w.db)).toHaveLength(1);
    expect(w.logs.join('\n')).toContain('410');
  });
});

describe('leases', () => {
  test('two workers at once deliver every event exactly once', async () => {
    const w = await webhookWorld();
    for (let i = 0; i < 5; i++) await w.buy(`b${i}@example.com`);
    const a = createWebhookDeliveryWorker({ db: w.db, tx: w.store.tx, now: w.clock.now, batchSize: 2 });
    const b = createWebhookDeliveryWorker({ db: w.db, tx: w.store.tx, now: w.clock.now, batchSize: 2 });
    for (;;) {
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      if (ra.claimed + rb.claimed === 0) break;
    }
    const ids = w.hook.received.map((r) => r.headers['encore-delivery']);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  test('a worker that died mid-delivery: its job is taken over after the lease, and its late mark changes nothing', async () => {
    const w = await webhookWorld();
    await w.buy();
    const claim = (token: string) =>
      w.store.tx((trx) =>
        claimJobs(trx, {
          kind: 'webhook',
          now: w.clock.now().toISOString(),
          leaseUntil: new Date(w.clock.now().getTime() + 60_000).toISOString(),
          token,
          limit: 10,
        }),
      );
    const [stale] = await claim('dead-worker');
    expect(await w.worker.runOnce()).toMatchObject({ claimed: 0 });
    w.clock.advance(1);
    expect(await w.worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await markJob(w.db, stale!, { status: 'pending', error: 'HTTP 500', runAt: w.clock.now().toISOString(), at: w.clock.now().toISOString() })).toBe(
      false,
    );
    expect((await deliveries(w.db))[0]).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200 });
    expect(await w.worker.runOnce()).toMatchObject({ claimed: 0 });
    expect(w.hook.received).toHaveLength(1);
  });
});

describe('events', () => {
  test('one logical event goes to every subscribed endpoint with the same id, once per endpoint', async () => {
    const w = await webhookWorld();
    const other = await w.console(w.organizerId, 'POST', '/', { url: w.hook.url.replace('/hooks/', '/other/'), events: ['order.completed'] });
    await w.console(w.organizerId, 'POST', '/', { url: w.hook.url, events: ['cart.abandoned'] });
    const order = await w.buy();
    const rows = await deliveries(w.db);
    expect(rows.map((r) => r.endpoint_id).sort()).toEqual([w.endpoint.id, other.body.endpoint.id].sort());
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(1);
    await w.store.tx((trx) =>
      emitWebhook(trx, { organizerId: w.organizerId, type: 'order.completed', data: {}, dedupe: `order.completed:${order.id}`, now: w.clock.now() }),
    );
    expect(await deliveries(w.db)).toHaveLength(2);
  });

  test('cart.abandoned from the abandonment scan carries the email only when the buyer consented', async () => {
    const w = await recoveryWorld({ startsInDays: 10, settings: { holdMinutes: 60 } });
    const store: Store = { db: w.db, tx: writeTransactions(w.db), now: w.clock.now };
    const hook = await receiver(w.clock);
    const created = await consoleHost(store)(w.organizerId, 'POST', '/', { url: hook.url, events: ['cart.abandoned'] });
    hook.secret = created.body.endpoint.secret;
    const consented = await w.leaveCart({ email: 'yes@example.com', consent: true, quantity: 2 });
    const declined = await w.leaveCart({ email: 'no@example.com', consent: false, quantity: 1 });
    const anonymous = await w.leaveCart({ quantity: 1 });
    const round = await w.after(31);
    expect(round.webhooks).toMatchObject({ done: 3 });
    expect(hook.received.every((r) => r.verified.ok && r.headers['encore-event'] === 'cart.abandoned')).toBe(true);
    const byCart = new Map(hook.received.map((r) => [r.json.data.cartId, r.json.data]));
    expect(byCart.get(consented.id)).toEqual({
      cartId: consented.id,
      abandonedAt: '2026-12-01T09:30:00.000Z',
      eventSlug: w.slug,
      performance: { id: w.performanceId, startsAt: w.startsAt.toISOString() },
      total: 300000,
      currency: 'RUB',
      hasEmail: true,
      consent: { given: true, mode: 'opt-in' },
      email: 'yes@example.com',
    });
    expect(byCart.get(declined.id)).toMatchObject({ hasEmail: true, consent: { given: false }, total: 150000 });
    expect(byCart.get(declined.id)).not.toHaveProperty('email');
    expect(byCart.get(anonymous.id)).toMatchObject({ hasEmail: false });
    await w.after(60);
    expect(hook.received).toHaveLength(3);
  });

  test('a purchase through a resume link sends order.completed and cart.recovered (via link)', async () => {
    const w = await recoveryWorld({ startsInDays: 10, capacity: 10 });
    const store: Store = { db: w.db, tx: writeTransactions(w.db), now: w.clock.now };
    const hook = await receiver(w.clock);
    const created = await consoleHost(store)(w.organizerId, 'POST', '/', { url: hook.url, events: ['order.completed', 'cart.recovered'] });
    hook.secret = created.body.endpoint.secret;
    const left = await w.leaveCart({ email: 'back@example.com', quantity: 3 });
    await w.after(91);
    expect(hook.received).toHaveLength(0); // not subscribed to cart.abandoned
    const res = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(w.inbox()[0]!) });
    const order = await w.call('POST', `/api/v1/carts/${left.id}/checkout`, {}, bearer(res.body.cart.token));
    expect(order.status).toBe(201);
    await w.jobs.runOnce();
    expect(hook.received.map((r) => r.json.type).sort()).toEqual(['cart.recovered', 'order.completed']);
    expect(hook.received.every((r) => r.verified.ok)).toBe(true);
    const recovered = hook.received.find((r) => r.json.type === 'cart.recovered')!.json.data;
    expect(recovered).toMatchObject({ cartId: left.id, recoveredVia: 'link', order: { id: order.body.order.id, total: 450000 } });
    const completed = hook.received.find((r) => r.json.type === 'order.completed')!.json.data;
    expect(completed).toMatchObject({ recoveredVia: 'link', order: { tickets: 3 } });
  });
});

describe('the console API', () => {
  test('creates with the secret shown once, masks it after, updates, rotates, tests and logs deliveries', async () => {
    const w = await webhookWorld({ events: ['order.completed'] });
    expect(w.endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await w.console(w.organizerId, 'GET', '/');
    expect(listed.body.endpoints).toEqual([
      {
        id: w.endpoint.id,
        url: w.hook.url,
        events: ['order.completed'],
        active: true,
        secret: `whsec_…${w.endpoint.secret.slice(-4)}`,
        createdAt: '2026-12-01T09:00:00.000Z',
      },
    ]);
    expect((await w.console(w.organizerId, 'GET', `/${w.endpoint.id}/secret`)).body).toEqual({ secret: w.endpoint.secret });

    const patched = await w.console(w.organizerId, 'PATCH', `/${w.endpoint.id}`, { events: ['order.completed', 'cart.recovered'] });
    expect(patched.body.endpoint.events).toEqual(['order.completed', 'cart.recovered']);
    expect((await w.console(w.organizerId, 'PATCH', `/${w.endpoint.id}`, { events: ['order.shipped'] })).body.error).toMatchObject({
      code: 'VALIDATION',
      field: 'events.0',
    });

    const rotated = await w.console(w.organizerId, 'POST', `/${w.endpoint.id}/rotate-secret`);
    expect(rotated.body.secret).not.toBe(w.endpoint.secret);
    w.hook.secret = rotated.body.secret;

    const sent = await w.console(w.organizerId, 'POST', `/${w.endpoint.id}/test`);
    expect(sent.status).toBe(202);
    await w.worker.runOnce();
    w.clock.advance(1);
    w.hook.statuses.push(500);
    await w.buy();
    await w.worker.runOnce();
    expect(w.hook.received.map((r) => [r.json.type, r.verified.ok])).toEqual([
      ['webhook.test', true],
      ['order.completed', true],
    ]);
    expect(w.hook.received[0]!.json).toMatchObject({ id: sent.body.eventId, data: { message: 'A test event from Encore' } });
    const log = await w.console(w.organizerId, 'GET', `/${w.endpoint.id}/deliveries?limit=50`);
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toEqual([
      {
        id: expect.stringMatching(/^whd_/),
        eventId: expect.stringMatching(/^evt_/),
        type: 'order.completed',
        status: 'pending',
        attempts: 1,
        lastStatusCode: 500,
        lastError: 'HTTP 500 status 500',
        createdAt: '2026-12-01T09:01:00.000Z',
        nextAttemptAt: '2026-12-01T09:02:00.000Z',
        deliveredAt: null,
      },
      expect.objectContaining({ type: 'webhook.test', status: 'delivered', attempts: 1, lastStatusCode: 200, deliveredAt: '2026-12-01T09:00:00.000Z' }),
    ]);
    expect((await w.console(w.organizerId, 'GET', `/${w.endpoint.id}/deliveries?limit=1`)).body.deliveries).toHaveLength(1);

    expect((await w.console(w.organizerId, 'DELETE', `/${w.endpoint.id}`)).status).toBe(204);
    expect((await w.console(w.organizerId, 'GET', '/')).body.endpoints).toEqual([]);
    expect(await deliveries(w.db)).toEqual([]);
  });

  test('URLs: https only, no internal addresses; http to localhost only with allowLoopbackWebhooks', async () => {
    const w = await world();
    const store: Store = { db: w.db, tx: writeTransactions(w.db), now: w.clock.now };
    const strict = consoleHost(store, false);
    const loose = consoleHost(store, true);
    const events = ['order.completed'];
    for (const url of [
      'http://crm.example.com/hook',
      'ftp://crm.example.com/hook',
      'not a url',
      'https://user:pass@crm.example.com/hook',
      'https://10.0.0.5/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://192.168.1.1/',
      'https://[::1]/',
      'http://127.0.0.1:9000/hook',
      'http://localhost:9000/hook',
    ]) {
      const res = await strict(w.organizerId, 'POST', '/', { url, events });
      expect([url, res.status, res.body.error]).toEqual([url, 400, expect.objectContaining({ code: 'VALIDATION', field: 'url' })]);
    }
    expect((await strict(w.organizerId, 'POST', '/', { url: 'https://crm.example.com/hook', events })).status).toBe(201);
    expect((await loose(w.organizerId, 'POST', '/', { url: 'http://127.0.0.1:9000/hook', events })).status).toBe(201);
    expect((await loose(w.organizerId, 'POST', '/', { url: 'http://localhost:9000/hook', events })).status).toBe(201);
    expect((await loose(w.organizerId, 'POST', '/', { url: 'http://crm.example.com/hook', events })).status).toBe(400);
    expect((await loose(w.organizerId, 'POST', '/', { url: 'https://crm.example.com/hook', events: [] })).body.error).toMatchObject({ field: 'events' });
  });

  test("an organizer sees and touches only their own endpoints: another's ids are 404", async () => {
    const w = await webhookWorld();
    const other = await makeEvent(w.db, w.clock.now());
    const mine = await w.console(other.organizerId, 'POST', '/', { url: w.hook.url, events: ['order.completed'] });
    const id = w.endpoint.id;
    expect((await w.console(other.organizerId, 'GET', '/')).body.endpoints.map((e: { id: string }) => e.id)).toEqual([mine.body.endpoint.id]);
    for (const [method, path, body] of [
      ['PATCH', `/${id}`, { active: false }],
      ['DELETE', `/${id}`, undefined],
      ['GET', `/${id}/secret`, undefined],
      ['POST', `/${id}/rotate-secret`, undefined],
      ['GET', `/${id}/deliveries`, undefined],
      ['POST', `/${id}/test`, undefined],
    ] as const) {
      const res = await w.console(other.organizerId, method, path, body);
      expect([method, path, res.status, res.body?.error?.code]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
    const still = (await w.console(w.organizerId, 'GET', '/')).body.endpoints[0];
    expect(still).toMatchObject({ id, active: true, secret: `whsec_…${w.endpoint.secret.slice(-4)}` });
    expect((await w.console(w.organizerId, 'GET', `/${id}/secret`)).body.secret).toBe(w.endpoint.secret);
    // The other organizer's orders never reach this organizer's endpoint.
    await w.buy();
    expect((await deliveries(w.db)).map((d) => d.endpoint_id)).toEqual([id]);
  });
});

// PostgreSQL runs the creations side by side: without the lock they count the same 17 and all
// go in (seen: all six, 26 endpoints). Warm connections first, so none waits for a new one while the
// others run.
test('endpoints created at once stop at the cap: the count is taken under a lock', async () => {
  const w = await world({ startsInDays: 10 });
  const console = consoleHost({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now });
  await Promise.all(Array.from({ length: 8 }, () => w.db.selectFrom('webhook_endpoints').select('id').limit(1).execute()));
  for (let i = 3; i < MAX_ENDPOINTS_PER_ORGANIZER; i++) {
    expect((await console(w.organizerId, 'POST', '/', { url: `https://hooks${i}.example/encore`, events: ['order.completed'] })).status).toBe(201);
  }
  const rush = await Promise.all(
    Array.from({ length: 6 }, (_, i) => console(w.organizerId, 'POST', '/', { url: `https://rush${i}.example/encore`, events: ['order.completed'] })),
  );
  expect(rush.map((r) => r.status).sort()).toEqual([201, 201, 201, 400, 400, 400]);
  expect((await console(w.organizerId, 'GET', '/')).body.endpoints).toHaveLength(MAX_ENDPOINTS_PER_ORGANIZER);
});
