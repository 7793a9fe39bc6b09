// A deployment past one machine: three API processes and two worker processes (the real
// server/worker.ts) on one database — PostgreSQL when the suite runs on it, else one SQLite file.
// Across instances: a checkout retried on every instance at once with one Idempotency-Key makes
// one order; a client's rate limit is one budget whichever instance it reaches; with both
// workers draining the same queue, every order's webhook is delivered once and every
// confirmation mailed once. (The oversell rush and its control across three processes is
// concurrency.test.ts; a worker SIGKILLed mid-run is outbox-crash.test.ts; both run on each engine.)
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../../server/platform/db/database.ts';
import { newWebhookSecret } from '../../server/webhooks/endpoints.ts';
import { newId } from '../../server/platform/ids.ts';
import { startServerProcess, stopAll, type ServerProcess } from '../support/processes.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { testEngine } from '../support/databases.ts';
import { freshDatabase, makeEvent, SITE } from '../support/world.ts';

const RATE = 6;
const ORDERS = 12;
const workerEntry = fileURLToPath(new URL('../../server/worker.ts', import.meta.url));

let db: Db;
let path: string;
let smtp: TestSmtp;
let hooks: Server;
const deliveries: string[] = [];
let api: ServerProcess[] = [];
const workers: ChildProcess[] = [];
let fx: Awaited<ReturnType<typeof makeEvent>>;

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerEntry], {
    env: {
      ...process.env,
      ...(testEngine === 'postgres' ? { DATABASE_URL: path } : { DATABASE_PATH: path }),
      SMTP_URL: smtp.url,
      DEMO_PORT: 'off',
      SEED_DEMO: 'false',
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
      // The test's webhook receiver listens on loopback, which production refuses.
      WEBHOOKS_ALLOW_LOOPBACK: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Encore worker on')) resolve(child);
    });
  });
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  hooks = createServer((req, res) => {
    deliveries.push(String(req.headers['encore-delivery']));
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  const fresh = await freshDatabase();
  ({ db, path } = fresh);
  fx = await makeEvent(db, new Date(), { capacity: 500, maxPerOrder: 6 });
  await db.updateTable('ticket_types').set({ capacity: 500 }).where('id', '=', fx.free).execute();
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: newId('whe'),
      organizer_id: fx.organizerId,
      url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`,
      secret: newWebhookSecret(),
      events: JSON.stringify(['order.paid']),
      active: 1,
      created_at: new Date().toISOString(),
    })
    .execute();
  // One proxy of ours in front: X-Forwarded-For names the client, so the buyers below are many
  // clients and the rate-limit test is one.
  const env = {
    DATABASE_PATH: path,
    GRAB: 'on',
    TRUST_PROXY: '1',
    CLIENT_RATE_LIMIT: String(RATE),
    CLIENT_RATE_WINDOW_SECONDS: '3600',
    CLIENT_MAX_OPEN_CARTS: 'off',
    CLIENT_MAX_HELD_SEATS: 'off',
  };
  [api] = await Promise.all([Promise.all([1, 2, 3].map(() => startServerProcess(env))), Promise.all([startWorker(), startWorker()])]);
}, 120_000);

afterAll(async () => {
  await stopAll(api);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
  await smtp?.close();
  hooks?.close();
});

const json = (client: string) => ({ 'content-type': 'application/json', origin: SITE, 'x-forwarded-for': client });

/** A cart of free tickets with the buyer's details, made on `server`, as the browser at `client`. */
async function readyCart(server: ServerProcess, client: string, i: number) {
  const created = await fetch(`${server.url}/api/v1/carts`, {
    method: 'POST',
    headers: json(client),
    body: JSON.stringify({ performanceId: fx.performanceId, items: [{ ticketTypeId: fx.free, quantity: 1 }] }),
  });
  expect(created.status).toBe(201);
  const cart = (await created.json()) as { id: string; token: string };
  const auth = { ...json(client), authorization: `Bearer ${cart.token}` };
  const patched = await fetch(`${server.url}/api/v1/carts/${cart.id}`, {
    method: 'PATCH',
    headers: auth,
    body: JSON.stringify({ buyer: { email: `buyer${i}@example.com`, name: `Buyer ${i}` } }),
  });
  expect(patched.status).toBe(200);
  return { cart, auth };
}

test('one Idempotency-Key sent to all three instances at once makes one order', async () => {
  const { cart, auth } = await readyCart(api[0]!, '10.1.0.1', 0);
  const answers = await Promise.all(
    api.map((server) =>
      fetch(`${server.url}/api/v1/carts/${cart.id}/checkout`, { method: 'POST', headers: { ...auth, 'idempotency-key': 'same-key' }, body: '{}' }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { order?: { id: string } } }),
      ),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
  expect(new Set(answers.map((a) => a.body.order?.id)).size).toBe(1);
  const orders = await db.selectFrom('orders').select('id').where('cart_id', '=', cart.id).execute();
  expect(orders).toHaveLength(1);
});

test(`a client's rate limit is one budget across instances: ${RATE} cart creations in all, wherever they land`, async () => {
  const statuses = await Promise.all(
    Array.from({ length: RATE * 3 }, (_, i) =>
      fetch(`${api[i % 3]!.url}/api/v1/carts`, {
        method: 'POST',
        headers: json('10.2.0.1'),
        body: JSON.stringify({ performanceId: fx.performanceId, items: [{ ticketTypeId: fx.standard, quantity: 1 }] }),
      }).then((r) => r.status),
    ),
  );
  expect(statuses.filter((s) => s === 201)).toHaveLength(RATE);
  expect(statuses.filter((s) => s === 429)).toHaveLength(RATE * 2);
});

test(`two workers on one queue: ${ORDERS} orders, each webhook delivered once and each confirmation mailed once`, async () => {
  const before = { hooks: deliveries.length, mail: smtp.received.length };
  const made = await Promise.all(
    Array.from({ length: ORDERS }, async (_, i) => {
      const server = api[i % 3]!;
      const { cart, auth } = await readyCart(server, `10.3.0.${i + 1}`, 100 + i);
      const done = await fetch(`${server.url}/api/v1/carts/${cart.id}/checkout`, {
        method: 'POST',
        headers: { ...auth, 'idempotency-key': `k${i}` },
        body: '{}',
      });
      expect(done.status).toBe(201);
      return ((await done.json()) as { order: { id: string } }).order.id;
    }),
  );
  // The first test's order adds one of each.
  await smtp.waitFor(before.mail + ORDERS, 60_000);
  for (const deadline = Date.now() + 60_000; deliveries.length < before.hooks + ORDERS && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 200));
  }
  // Both workers had the chance to send a second copy: wait out another poll of each.
  await new Promise((r) => setTimeout(r, 6_000));
  const ids = await db.selectFrom('webhook_deliveries').select('id').where('event_type', '=', 'order.paid').execute();
  expect(ids.length).toBe(ORDERS + 1);
  expect(deliveries.length).toBe(ids.length);
  expect(new Set(deliveries).size).toBe(deliveries.length);
  // One confirmation per order, each to its own buyer.
  const recipients = smtp.received.map((m) => m.to.join());
  expect(recipients).toHaveLength(ORDERS + 1);
  expect(new Set(recipients).size).toBe(ORDERS + 1);
  expect(new Set(made).size).toBe(ORDERS);
}, 120_000);
