// The payment providers this instance offers, built once per process from its configuration:
// the API (createApp) starts payments and takes notifications with them, the recovery loop
// (loop.ts) polls and refunds with them. Each organizer's credentials come with each
// call, from their settings (payments.providers.<id>).
import { demoProvider } from './demo.ts';
import type { Payments } from './provider.ts';
import type { PaymentProvider } from './provider.ts';
import { stripeProvider, type StripeOptions } from './stripe.ts';
import { yookassaProvider } from './yookassa.ts';

export interface PaymentsOptions {
  /** The instance secret: it signs the demo provider's notifications. */
  secret: string;
  /** The API's public origin: payment pages, return and notification URLs are under it. */
  baseUrl: string;
  /** Offer the built-in demo provider (npm start with the demo site; never in production). */
  demo?: boolean;
  /** YooKassa's API (YOOKASSA_API_URL; tests point it at a local server) and how long to wait for it. */
  yookassa?: { apiUrl?: string; timeoutMs?: number };
  /** Stripe's API host (tests point it at a local server) and how long to wait for it. */
  stripe?: StripeOptions;
  log?: (line: string) => void;
}

export function createPayments(o: PaymentsOptions): Payments {
  return {
    providers: new Map<string, PaymentProvider>([
      ['yookassa', yookassaProvider(o.yookassa) as PaymentProvider],
      ['stripe', stripeProvider(o.stripe) as PaymentProvider],
      ...(o.demo ? [['demo', demoProvider({ secret: o.secret, baseUrl: o.baseUrl }) as PaymentProvider] as const] : []),
    ]),
    baseUrl: o.baseUrl,
    log: o.log ?? ((line) => console.error(line)),
  };
}
