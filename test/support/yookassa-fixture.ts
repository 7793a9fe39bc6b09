// A local stand-in for YooKassa's payments API v3, answering with the documented shapes kept in
// test/fixtures/yookassa/*.json: Basic auth checked, Idempotence-Key required on POST and honoured
// (the same key answers the same object), payments created pending and settled by the test,
// refunds, 404 for a payment it does not know. `failNext` makes the next calls answer 500 or hang.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SHOP_ID = '123456';
export const SECRET_KEY = 'test_Fh8hUAVVBGUGbjmlzba6TB0iyUbos_lueTHE-axOwM0';

export const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/yookassa/${name}.json`, import.meta.url), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: the fixture reads and the tests assert the fields YooKassa's shapes have; typing them would restate those shapes
type Json = any;

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Json;
}

type Status = 'pending' | 'succeeded' | 'canceled';

export async function yookassaFixture() {
  const requests: SeenRequest[] = [];
  const payments = new Map<string, { status: Status; request: Json }>();
  const answered = new Map<string, { status: number; body: unknown }>();
  const failures: ('500' | 'hang')[] = [];
  let count = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  function handle(method: string, path: string, headers: IncomingMessage['headers'], body: Json): { status: number; body: unknown } {
    if (headers.authorization !== `Basic ${Buffer.from(`${SHOP_ID}:${SECRET_KEY}`).toString('base64')}`)
      return { status: 401, body: fixture('error-invalid-credentials') };
    const key = headers['idempotence-key'];
    if (method === 'POST' && (typeof key !== 'string' || key.length === 0 || key.length > 64)) return { status: 400, body: fixture('error-idempotence-key') };
    if (method === 'POST' && answered.has(`${path} ${key}`)) return answered.get(`${path} ${key}`)!;
    let answer: { status: number; body: unknown };
    if (method === 'POST' && path === '/payments') {
      const id = `2f5c3a1e-000f-5000-8000-${String(++count).padStart(12, '0')}`;
      payments.set(id, { status: 'pending', request: body });
      answer = { status: 200, body: paymentObject(id) };
    } else if (method === 'GET' && path.startsWith('/payments/')) {
      const id = decodeURIComponent(path.slice('/payments/'.length));
      answer = payments.has(id) ? { status: 200, body: paymentObject(id) } : { status: 404, body: fixture('error-not-found') };
    } else if (method === 'POST' && path === '/refunds') {
      answer = payments.has(body.payment_id)
        ? { status: 200, body: { ...fixture('refund-succeeded'), id: `refund-${++count}`, payment_id: body.payment_id, amount: body.amount } }
        : { status: 404, body: fixture('error-not-found') };
    } else answer = { status: 404, body: fixture('error-not-found') };
    if (method === 'POST') answered.set(`${path} ${key}`, answer);
    return answer;
  }

  function paymentObject(id: string) {
    const { status, request } = payments.get(id)!;
    const shape = fixture(`payment-${status}`);
    const object = { ...shape, id, amount: request.amount, description: request.description, metadata: request.metadata };
    if (status === 'pending')
      object.confirmation = { ...shape.confirmation, confirmation_url: `https://yoomoney.ru/checkout/payments/v2/contract?orderId=${id}` };
    return object;
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const path = req.url!.replace(/^\/v3/, '');
      const body = raw ? JSON.parse(raw) : null;
      requests.push({ method: req.method!, path, headers: req.headers, body });
      const failure = failures.shift();
      if (failure === 'hang') return;
      if (failure === '500') return send(res, 500, fixture('error-internal'));
      const answer = handle(req.method!, path, req.headers, body);
      send(res, answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/v3`,
    requests,
    /** What YooKassa decided about a payment (the buyer paid, or the bank declined). */
    settle: (id: string, status: Status) => (payments.get(id)!.status = status),
    failNext: (...how: ('500' | 'hang')[]) => failures.push(...how),
    /** Forgets failures a test asked for and did not use up, so they cannot reach the next test. */
    clearFailures: () => failures.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type YookassaFixture = Awaited<ReturnType<typeof yookassaFixture>>;
