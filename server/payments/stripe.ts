// Stripe: a hosted Checkout Session per payment (the buyer pays on Stripe's page and comes back to
// our return route), webhooks verified by the official package against the organizer's endpoint
// signing secret, refunds of the session's PaymentIntent, the session expired when its order does. Our payment is the session: its id is
// the provider payment id the lifecycle looks notifications up by.
import Stripe from 'stripe';
import { z } from 'zod';
import { NotificationRefused, ProviderUnavailable, type PaymentOutcome, type PaymentProvider, type RefundDetails } from './provider.ts';

export const stripeSettingsSchema = z
  .object({
    mode: z.enum(['test', 'live']).default('test'),
    /** A secret (sk_) or restricted (rk_) key of the mode; never sent back by the API. */
    secretKey: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'A Stripe secret key: sk_test_… or sk_live_… (Dashboard → Developers → API keys)'),
    /** The signing secret of the webhook endpoint registered for this organizer. */
    webhookSecret: z.string().regex(/^whsec_[A-Za-z0-9]+$/, "The webhook endpoint's signing secret: whsec_… (Dashboard → Developers → Webhooks)"),
  })
  .refine((s) => s.secretKey.slice(3).startsWith(`${s.mode}_`), {
    message: "A test account's secret key starts with sk_test_, a live one's with sk_live_",
    path: ['secretKey'],
  });

export type StripeSettings = z.infer<typeof stripeSettingsSchema>;

/** The header Stripe signs webhooks in. */
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

// Stripe refuses expires_at earlier than 30 minutes after it creates the session; a minute more
// covers the clocks' difference and the request's time on the way.
const MIN_SESSION_SECONDS = 31 * 60;
const MAX_SESSION_SECONDS = 24 * 3600;

export interface StripeOptions {
  /** Where the API is: Stripe's by default; tests point it at a local server. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Per request, in ms (the package's default is 80 s; a buyer is waiting). */
  timeoutMs?: number;
  /** The package's own retries of connection errors and 409s, with the same idempotency key. */
  maxNetworkRetries?: number;
  now?: () => Date;
}

/**
 * The session's expiry: the order's payment deadline, but at least Stripe's minimum (a session
 * may then outlive the order by a few minutes: a payment after the order expired takes the seats
 * again if free, else becomes refund_due, payments/lifecycle.ts). Whole minutes, so a start
 * retried within the minute sends the same parameters under the same idempotency key.
 */
export function sessionExpiry(orderExpiresAt: string, now: Date): number {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const wanted = Math.floor(Date.parse(orderExpiresAt) / 1000);
  const clamped = Math.min(Math.max(wanted, nowSeconds + MIN_SESSION_SECONDS), nowSeconds + MAX_SESSION_SECONDS);
  return Math.ceil(clamped / 60) * 60;
}

export function stripeProvider(o: StripeOptions = {}): PaymentProvider<StripeSettings> {
  const now = o.now ?? (() => new Date());
  const clients = new Map<string, Stripe>();
  const client = (s: StripeSettings) => {
    let stripe = clients.get(s.secretKey);
    if (!stripe) {
      stripe = new Stripe(s.secretKey, {
        host: o.host,
        port: o.port,
        protocol: o.protocol,
        timeout: o.timeoutMs ?? 20_000,
        maxNetworkRetries: o.maxNetworkRetries ?? 2,
        appInfo: { name: 'Encore' },
      });
      clients.set(s.secretKey, stripe);
    }
    return stripe;
  };

  return {
    id: 'stripe',
    settingsSchema: stripeSettingsSchema,

    async start(p, s) {
      const expiresAt = sessionExpiry(p.expiresAt, now());
      const session = await call('could not create the checkout session', () =>
        client(s).checkout.sessions.create(
          {
            mode: 'payment',
            line_items: p.lines.map((line) => ({
              quantity: line.quantity,
              price_data: { currency: p.currency.toLowerCase(), unit_amount: line.unitAmount, product_data: { name: line.description } },
            })),
            client_reference_id: p.orderId,
            metadata: { orderId: p.orderId, paymentId: p.paymentId },
            payment_intent_data: { description: p.description, metadata: { orderId: p.orderId, paymentId: p.paymentId } },
            customer_email: p.buyerEmail,
            success_url: p.returnUrl,
            cancel_url: p.returnUrl,
            expires_at: expiresAt,
          },
          // Stripe replays the first answer to a key only for the same parameters: the expiry is part of the key.
          { idempotencyKey: `${p.idempotencyKey}-${expiresAt}` },
        ),
      );
      if (!session.url) throw new ProviderUnavailable(`Stripe: checkout session ${session.id} has no url`);
      return { providerPaymentId: session.id, redirectUrl: session.url };
    },

    async verifyNotification(n, s) {
      let event: Stripe.Event;
      try {
        // The raw body as received: the signature covers its exact bytes.
        event = Stripe.webhooks.constructEvent(n.body, n.headers[STRIPE_SIGNATURE_HEADER] ?? '', s.webhookSecret);
      } catch (error) {
        throw new NotificationRefused(`Stripe webhook: ${(error as Error).message}`);
      }
      return eventOutcome(event);
    },

    async refund(providerPaymentId, amount, s, details?: RefundDetails) {
      const stripe = client(s);
      const session = await call('could not read the checkout session', () => stripe.checkout.sessions.retrieve(providerPaymentId));
      const intent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
      if (!intent) throw new ProviderUnavailable(`Stripe: checkout session ${providerPaymentId} has no payment to refund`);
      await call('could not refund', () =>
        stripe.refunds.create(
          { payment_intent: intent, amount },
          // Without the caller's key (one per refund), two equal refunds of a payment within Stripe's 24 h key window would be one.
          { idempotencyKey: details?.idempotencyKey ?? `refund-${providerPaymentId}-${amount}` },
        ),
      );
    },

    async status(providerPaymentId, s) {
      const session = await call('could not read the checkout session', () => client(s).checkout.sessions.retrieve(providerPaymentId));
      return sessionOutcome(session);
    },

    // Expiring the session closes Stripe's page for it. Stripe refuses a session that is no longer
    // open (paid meanwhile, or expired): that error is the caller's to log, and reconciliation reads
    // the session's outcome.
    async cancel(providerPaymentId, s) {
      await call('could not expire the checkout session', () => client(s).checkout.sessions.expire(providerPaymentId));
    },
  };
}

/** Paid only when Stripe says the session's payment_status is `paid`. */
function sessionOutcome(session: Stripe.Checkout.Session): PaymentOutcome {
  if (session.payment_status === 'paid') return { providerPaymentId: session.id, status: 'succeeded' };
  if (session.status === 'expired') return { providerPaymentId: session.id, status: 'declined' };
  return { providerPaymentId: session.id, status: 'pending' };
}

function eventOutcome(event: Stripe.Event): PaymentOutcome {
  switch (event.type) {
    // completed with payment_status `unpaid`: a delayed method (bank debit) whose result comes later.
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return sessionOutcome(event.data.object);
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return { providerPaymentId: event.data.object.id, status: 'declined' };
    default:
      // Other events the endpoint may be subscribed to change nothing here; answered 2xx so Stripe does not resend them.
      return { providerPaymentId: (event.data.object as { id?: string }).id ?? event.id, status: 'pending' };
  }
}

/** Any Stripe error (unreachable, timed out, 5xx, or the request refused) is ProviderUnavailable: nothing was recorded on our side. */
async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new ProviderUnavailable(`Stripe ${what}: ${error.message}${error.statusCode ? ` (HTTP ${error.statusCode})` : ''}`);
    }
    throw error;
  }
}
