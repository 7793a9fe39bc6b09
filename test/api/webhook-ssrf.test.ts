// Webhooks reach the public internet only. The URL an organizer types is refused when it names
// an internal address or a name that always means one (45 cases below); a name that resolves to
// one at delivery time is refused where the connection is made; the delivery log says what kind
// of failure it was, never an address or port; test events are rate-limited.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { createJobRunner } from '../../server/platform/jobs/runner.ts';
import { isPublicAddress, publicFetch } from '../../server/webhooks/address-guard.ts';
import { createWebhookHandler } from '../../server/webhooks/delivery-job.ts';
import { checkWebhookUrl, newWebhookSecret, TEST_SENDS_PER_HOUR, webhookEndpoints } from '../../server/webhooks/endpoints.ts';
import { emitWebhook } from '../../server/webhooks/events.ts';
import { world } from '../support/world.ts';

const INTERNAL = [
  'https://10.0.0.1/',
  'https://172.16.5.4/',
  'https://192.168.1.1/',
  'https://127.0.0.1/',
  'https://127.1/',
  'https://2130706433/',
  'https://0x7f000001/',
  'https://0/',
  'https://0.0.0.0/',
  'https://100.64.0.1/',
  'https://100.100.100.200/latest/meta-data',
  'https://169.254.169.254/latest/meta-data',
  'https://192.0.0.8/',
  'https://192.0.2.10/',
  'https://198.18.0.1/',
  'https://198.51.100.7/',
  'https://203.0.113.9/',
  'https://224.0.0.1/',
  'https://240.0.0.1/',
  'https://255.255.255.255/',
  'https://[::1]/',
  'https://[::]/',
  'https://[::ffff:127.0.0.1]/',
  'https://[::ffff:a9fe:a9fe]/',
  'https://[64:ff9b::a9fe:a9fe]/',
  'https://[2002:7f00:1::]/',
  'https://[2001::1]/',
  'https://[2001:db8::1]/',
  'https://[fc00::1]/',
  'https://[fd00:ec2::254]/',
  'https://[fe80::1]/',
  'https://[ff02::1]/',
  'https://localhost/',
  'https://localhost./',
  'https://LOCALHOST:8443/',
  'https://api.localhost/',
  'https://127.0.0.1.nip.io/',
  'https://10.0.0.1.sslip.io/',
  'https://localtest.me/',
  'https://app.lvh.me/',
  'https://metadata.google.internal/computeMetadata/v1/',
  'https://metadata/',
  'https://printer.local/',
  'https://router.home.arpa/',
  'https://intranet/',
];

test(`the URL check refuses all ${INTERNAL.length} internal-looking URLs and accepts public ones`, () => {
  const accepted = INTERNAL.filter((url) => {
    try {
      checkWebhookUrl(url, false);
      return true;
    } catch {
      return false;
    }
  });
  expect(accepted).toEqual([]);
  for (const url of ['https://crm.example.com/encore', 'https://8.8.8.8/hook', 'https://[2606:4700::1111]/hook', 'https://hooks.nip.io.example.com/x']) {
    expect(checkWebhookUrl(url, false)).toBe(new URL(url).href);
  }
  expect(isPublicAddress('93.184.216.34')).toBe(true);
  expect(isPublicAddress('100.64.1.1')).toBe(false);
});

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A receiver on loopback: what an internal service would be. */
async function internalService() {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('internal secrets');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { hits, port: (server.address() as AddressInfo).port };
}

/** An endpoint stored as if its name had been public when it was saved (DNS changes later), one event queued, one delivery run. */
async function deliverOnce(url: string, fetch?: typeof globalThis.fetch) {
  const w = await world({ startsInDays: 10 });
  const tx = writeTransactions(w.db);
  await w.db
    .insertInto('webhook_endpoints')
    .values({
      id: 'whe_1',
      organizer_id: w.organizerId,
      url,
      secret: newWebhookSecret(),
      events: '["webhook.test"]',
      active: 1,
      created_at: w.clock.now().toISOString(),
    })
    .execute();
  await tx((trx) => emitWebhook(trx, { organizerId: w.organizerId, endpointId: 'whe_1', type: 'webhook.test', data: {}, dedupe: 'd1', now: w.clock.now() }));
  const runner = createJobRunner({ db: w.db, tx, now: w.clock.now, log: () => {} });
  runner.register('webhook', createWebhookHandler({ db: w.db, now: w.clock.now, fetch, log: () => {} }));
  await runner.drainKind('webhook');
  return w.db.selectFrom('webhook_deliveries').select(['status', 'last_error']).executeTakeFirstOrThrow();
}

test('at delivery, a name that resolves to an internal address and an internal literal are refused where the connection is made', async () => {
  const service = await internalService();
  for (const host of ['localhost', '127.0.0.1', '[::ffff:127.0.0.1]']) {
    const delivery = await deliverOnce(`http://${host}:${service.port}/admin`);
    expect(delivery.last_error, host).toBe('refused: not a public address');
    expect(delivery.last_error).not.toContain(String(service.port));
  }
  expect(service.hits).toEqual([]);
  // The control: the platform's own fetch connects, which is what the guard prevents.
  await deliverOnce(`http://localhost:${service.port}/admin`, fetch);
  expect(service.hits).toEqual(['/admin']);
  // Development (WEBHOOKS_ALLOW_LOOPBACK) lets loopback through, and only loopback.
  await deliverOnce(`http://localhost:${service.port}/dev`, publicFetch({ allowLoopback: true }));
  expect(service.hits).toEqual(['/admin', '/dev']);
  expect((await deliverOnce('http://10.255.255.1:81/', publicFetch({ allowLoopback: true }))).last_error).toBe('refused: not a public address');
});

test('the delivery log names a class of failure, not socket details', async () => {
  const unresolvable = await deliverOnce('https://no-such-host.invalid/hook');
  expect(unresolvable.last_error).toBe('the name does not resolve');
  const service = await internalService();
  const closed = await deliverOnce(`http://127.0.0.1:${service.port + 1}/`, publicFetch({ allowLoopback: true }));
  expect(closed.last_error).toBe('the connection failed');
  expect(closed.last_error).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|\d{4,5}/);
});

test(`test events: at most ${TEST_SENDS_PER_HOUR} per organizer per hour (429)`, async () => {
  const w = await world({ startsInDays: 10 });
  const endpoints = webhookEndpoints({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now }, { allowLoopback: false });
  const { id } = await endpoints.create(w.organizerId, { url: 'https://crm.example.com/encore', events: ['order.completed'] });
  for (let i = 0; i < TEST_SENDS_PER_HOUR; i++) await endpoints.sendTest(w.organizerId, id);
  await expect(endpoints.sendTest(w.organizerId, id)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429 });
});
