// Over real HTTP (where bodies are read straight from the Node request): a body over 64 KB is a
// 413 whether it declares its length or streams without one; a normal body goes through.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, test } from 'vitest';
import { world } from '../support/world.ts';

const w = await world();
const server = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/carts`;
afterAll(() => new Promise((resolve) => server.close(resolve)));

const cart = (padding: number) =>
  JSON.stringify({
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity: 1 }],
    pageUrl: `https://theatre.example/?${'x'.repeat(padding)}`,
  });

test('a declared or streamed body over 64 KB is 413 PAYLOAD_TOO_LARGE; a small one is read', async () => {
  const declared = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: cart(70_000) });
  expect(declared.status).toBe(413);
  expect((await declared.json()).error.code).toBe('PAYLOAD_TOO_LARGE');

  const big = new TextEncoder().encode(cart(70_000));
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < big.length; i += 8192) controller.enqueue(big.subarray(i, i + 8192));
      controller.close();
    },
  });
  const streamed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
  expect(streamed.status).toBe(413);

  const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: cart(100) });
  expect(ok.status).toBe(201);
  expect((await ok.json()).items[0].quantity).toBe(1);
});
