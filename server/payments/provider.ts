// What a payment provider is to Encore (after pretix's base/payment.py): it declares its
// settings, starts a payment for an order and says where the buyer pays, turns the provider's
// notification into a verified outcome, refunds, and reports a payment's status. Providers never
// touch the database: payments/lifecycle.ts decides what an outcome does to the order.
import type { z } from 'zod';

/** A payment as a provider needs to see it. */
export interface PaymentRequest {
  /** Our payments.id. */
  paymentId: string;
  orderId: string;
  /** Sent as the provider's idempotence key, so a retried start makes one payment. */
  idempotencyKey: string;
  amount: number;
  currency: string;
  description: string;
  buyerEmail: string;
  /** What is bought, summing exactly to `amount` (a fiscal receipt, e.g. YooKassa's 54-FZ one, lists them). */
  lines: PaymentLine[];
  /** Where the provider sends the buyer afterwards (our return endpoint). */
  returnUrl: string;
  /** When the order stops waiting for payment (ISO): a provider's page should not take money after it. */
  expiresAt: string;
}

/** One receipt line: `quantity` × `unitAmount` (minor units, after any discount). */
export interface PaymentLine {
  description: string;
  quantity: number;
  unitAmount: number;
}

/** What a refund's receipt needs, and the key that makes a retried refund one refund. */
export interface RefundDetails {
  idempotencyKey: string;
  currency: string;
  buyerEmail: string;
  /** Summing exactly to the refunded amount. */
  lines: PaymentLine[];
}

/** What a verified notification (or a status poll) says happened to a payment. */
export interface PaymentOutcome {
  providerPaymentId: string;
  status: 'succeeded' | 'declined' | 'pending';
}

/** A notification as it arrived: the raw body (signatures cover it) and the headers. */
export interface Notification {
  body: string;
  headers: Record<string, string | undefined>;
}

export interface PaymentProvider<Settings = unknown> {
  /** Stored in orders.payment_method and payments.provider; also the notification path's name. */
  readonly id: string;
  /** The organizer's settings for it (shop id, keys, test or live); secrets are never sent back. */
  readonly settingsSchema: z.ZodType<Settings>;
  /** Creates the payment at the provider; returns its id there and the page where the buyer pays. */
  start(payment: PaymentRequest, settings: Settings): Promise<{ providerPaymentId: string; redirectUrl: string }>;
  /** Verifies a notification and says what it reports; throws NotificationRefused if it cannot be trusted. */
  verifyNotification(notification: Notification, settings: Settings): Promise<PaymentOutcome>;
  /** Providers that issue receipts (YooKassa) need `details`; the others may ignore it. */
  refund(providerPaymentId: string, amount: number, settings: Settings, details?: RefundDetails): Promise<void>;
  /** The payment's status at the provider now (for reconciliation of payments left pending). */
  status(providerPaymentId: string, settings: Settings): Promise<PaymentOutcome>;
  /**
   * Closes an unpaid checkout so the buyer can no longer pay there (called when its order expired,
   * outside any transaction; a failure is logged). Absent where the provider cannot (YooKassa
   * cannot cancel a `pending` payment: it lapses by itself). A payment that still succeeds is
   * handled by the lifecycle (seats taken again, or refund_due).
   */
  cancel?(providerPaymentId: string, settings: Settings): Promise<void>;
}

export class NotificationRefused extends Error {}

/** The provider could not be reached or did not accept the request: nothing happened there, the same call may be retried. */
export class ProviderUnavailable extends Error {}

/** The providers this instance offers, by id. */
export type PaymentProviders = ReadonlyMap<string, PaymentProvider>;

/** What an instance offers: its providers (payments/registry.ts) and where its payment pages live. */
export interface Payments {
  providers: PaymentProviders;
  /** The API's public origin: payment pages, return and notification URLs are under it. */
  baseUrl: string;
  log: (line: string) => void;
}
