// A local stand-in for api.stripe.com, answering with the shapes of Stripe's API reference kept in
// test/fixtures/stripe: it records every request (method, path, headers, form parameters), keeps
// the sessions it created, expires open ones when asked, and can be told to answer 500 or not at all.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const stripeFixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/stripe/${name}.json`, import.meta.url), 'utf8'));

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  params: URLSearchParams;
}

type Session = Record<string, unknown> & { id: string };

export async function fakeStripe() {
  const requests: SeenRequest[] = [];
  const sessions = new Map<string, Session>();
  const state = { mode: 'ok' as 'ok' | 'error' | 'hang' };

  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://stripe.local');
    const params = new URLSearchParams(req.method === 'GET' ? url.search : body);
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, params });
    if (state.mode === 'hang') return;
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_test_${requests.length}` });
      res.end(JSON.stringify(json));
    };
    if (state.mode === 'error') return send(500, stripeFixture('error-api'));

    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      const id = `cs_test_${String(sessions.size + 1).padStart(4, '0')}a1b2c3d4e5f6`;
      let total = 0;
      for (let i = 0; params.has(`line_items[${i}][quantity]`); i++) {
        total += Number(params.get(`line_items[${i}][quantity]`)) * Number(params.get(`line_items[${i}][price_data][unit_amount]`));
      }
      const session: Session = {
        ...stripeFixture('checkout-session'),
        id,
        url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
        amount_subtotal: total,
        amount_total: total,
        currency: params.get('line_items[0][price_data][currency]'),
        client_reference_id: params.get('client_reference_id'),
        customer_email: params.get('customer_email'),
        expires_at: Number(params.get('expires_at')),
        metadata: { orderId: params.get('metadata[orderId]'), paymentId: params.get('metadata[paymentId]') },
        success_url: params.get('success_url'),
        cancel_url: params.get('cancel_url'),
      };
      sessions.set(id, session);
      return send(200, session);
    }
    const sessionPath = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && sessionPath) {
      const session = sessions.get(sessionPath[1]!);
      if (session) return send(200, session);
      return send(404, {
        error: { code: 'resource_missing', message: `No such checkout.session: '${sessionPath[1]}'`, param: 'session', type: 'invalid_request_error' },
      });
    }
    // Expire a Checkout Session: only an open one (API reference); answers the session, now expired.
    const expirePath = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(url.pathname);
    if (req.method === 'POST' && expirePath) {
      const session = sessions.get(expirePath[1]!);
      if (!session)
        return send(404, { error: { code: 'resource_missing', message: `No such checkout.session: '${expirePath[1]}'`, type: 'invalid_request_error' } });
      if (session.status !== 'open') return send(400, stripeFixture('error-session-not-expireable'));
      Object.assign(session, { status: 'expired', url: null });
      return send(200, session);
    }
    if (req.method === 'POST' && url.pathname === '/v1/refunds') {
      return send(200, { ...stripeFixture('refund'), amount: Number(params.get('amount')), payment_intent: params.get('payment_intent') });
    }
    send(404, { error: { message: `Unrecognized request URL (${req.method}: ${url.pathname}).`, type: 'invalid_request_error' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    requests,
    sessions,
    state,
    /** What Stripe's page does when the buyer pays: the session completes with a PaymentIntent. */
    pay(id: string) {
      const session = sessions.get(id)!;
      Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_3QjKkLAbCdEfGhIj0aBcDeFg', url: null });
      return session;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeStripe = Awaited<ReturnType<typeof fakeStripe>>;
