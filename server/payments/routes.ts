// Payment routes. Under /payments (the API origin): start (→ the provider's page), return (→ the
// page the widget was on), the providers' notifications, and the demo provider's payment page.
// Under /api/v1/carts: the order a cart became, for the widget on the buyer's return.
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Locale } from '../contracts/widget.ts';
import { authorizeCart } from '../sales/cart-service.ts';
import { DomainError } from '../platform/errors.ts';
import type { Store } from '../store.ts';
import { bearerToken } from '../platform/http/errors.ts';
import { DEMO_SIGNATURE_HEADER, signDemo } from './demo.ts';
import { handleNotification, NotificationRefused, ProviderUnavailable, retryPayment, returnTarget, returnUrl, startPayment } from './lifecycle.ts';
import type { Payments } from './provider.ts';
import { findOrder, findProviderPayment } from './payments-db.ts';
import { orderView } from './order-view.ts';

export function paymentPages(store: Store, payments: Payments, secret: string) {
  const app = new Hono();

  app.get('/start/:id', async (c) => {
    try {
      return c.redirect(await startPayment(store, payments, c.req.param('id')), 303);
    } catch (error) {
      // A buyer's browser goes back to the theatre's page instead of an error document: there the
      // widget finds the order still waiting, says the payment did not go through and pays again.
      const browser = (c.req.header('accept') ?? '').includes('text/html');
      if (browser && error instanceof DomainError && error.code === 'PAYMENT_FAILED')
        return c.redirect(await returnTarget(store.db, payments, c.req.param('id')), 303);
      throw error;
    }
  });

  app.get('/return/:id', async (c) => c.redirect(await returnTarget(store.db, payments, c.req.param('id')), 303));

  app.post('/notify/:provider/:organizer', async (c) => {
    const headers = Object.fromEntries([...c.req.raw.headers].map(([k, v]) => [k.toLowerCase(), v]));
    try {
      await handleNotification(store, payments, c.req.param('provider'), c.req.param('organizer'), { body: await c.req.text(), headers });
    } catch (error) {
      if (error instanceof NotificationRefused) return c.json({ error: { code: 'UNAUTHORIZED', message: 'Notification not verified' } }, 400);
      // Not verified yet (the provider's API did not answer): a non-2xx makes the provider send it again.
      if (error instanceof ProviderUnavailable)
        return c.json({ error: { code: 'PAYMENT_FAILED', message: 'Notification not verified yet: send it again' } }, 503);
      throw error;
    }
    return c.body(null, 204);
  });

  if (payments.providers.has('demo')) {
    const demoPayment = async (providerPaymentId: string) => {
      const payment = await findProviderPayment(store.db, 'demo', providerPaymentId);
      const order = payment && (await findOrder(store.db, payment.order_id));
      if (!payment || !order) throw new DomainError('NOT_FOUND', 'No such payment');
      // Like a real provider's closed checkout: once its order expired (or ended), the page takes no payment.
      return { payment, order, payable: payment.status === 'pending' && order.status === 'pending_payment' };
    };

    app.get('/demo/:ppid', async (c) => {
      const { payment, order, payable } = await demoPayment(c.req.param('ppid'));
      // Minor units by the currency's own digits (0 for JPY, 3 for KWD), as the widget shows money.
      const format = new Intl.NumberFormat('en', { style: 'currency', currency: payment.currency });
      const amount = format.format(payment.amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
      c.header('Cache-Control', 'no-store');
      return c.html(html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Demo payment</title>
            <style>
              body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #1a1a1a; }
              .amount { font-size: 2rem; font-weight: 700; margin: 0.5rem 0 1.5rem; }
              button { font: inherit; padding: 0.6rem 1.4rem; margin-right: 0.5rem; border-radius: 6px; border: 1px solid #444; cursor: pointer; }
              .pay { background: #1d6b34; color: #fff; border-color: #1d6b34; }
              .note { color: #555; font-size: 0.875rem; margin-top: 2rem; }
            </style>
          </head>
          <body>
            <h1>Demo payment</h1>
            <p>Order ${order.number}</p>
            <p class="amount" data-testid="amount">${amount}</p>
            ${
              payable
                ? html`<form method="post">
                  <button class="pay" name="result" value="succeeded">Pay</button>
                  <button name="result" value="declined">Decline</button>
                </form>`
                : payment.status === 'pending'
                  ? html`<p>This order is ${order.status}: it can no longer be paid.</p>`
                  : html`<p>This payment is ${payment.status}.</p>`
            }
            <p class="note">Encore's built-in demo provider: no money moves. A real provider's page is here instead.</p>
          </body>
        </html>`);
    });

    // What a real provider does after the buyer pays: notify us (signed), then send the buyer back.
    app.post('/demo/:ppid', async (c) => {
      const { payment, order, payable } = await demoPayment(c.req.param('ppid'));
      if (!payable) throw new DomainError('ORDER_STATE', `This order is ${order.status}: it can no longer be paid`);
      const form = await c.req.parseBody();
      const status = form.result === 'succeeded' ? 'succeeded' : 'declined';
      const body = JSON.stringify({ paymentId: payment.provider_payment_id, status });
      await handleNotification(store, payments, 'demo', order.organizer_id, { body, headers: { [DEMO_SIGNATURE_HEADER]: signDemo(secret, body) } });
      return c.redirect(returnUrl(payments, payment.id), 303);
    });
  }
  return app;
}

/**
 * With the cart's token: `GET /api/v1/carts/{id}/order`, the order it became, in the cart's
 * locale; `POST /api/v1/carts/{id}/order/payment`, another payment for it → `{redirectUrl}`.
 */
export function cartOrderApi(store: Store, payments: Payments) {
  const app = new Hono();
  app.get('/:id/order', async (c) => {
    const { cart } = await authorizeCart(store.db, c.req.param('id'), bearerToken(c));
    const order = cart.order_id ? await findOrder(store.db, cart.order_id) : undefined;
    if (!order) throw new DomainError('NOT_FOUND', 'This cart has no order');
    c.header('Cache-Control', 'no-store');
    return c.json(await orderView(store.db, order, cart.locale as Locale));
  });
  app.post('/:id/order/payment', async (c) => c.json(await retryPayment(store, payments, c.req.param('id'), bearerToken(c)), 201));
  return app;
}
