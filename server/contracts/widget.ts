// The public API's shapes, in one place. The server validates with these schemas; the widget
// imports the inferred types with `import type` only, so zod never enters its bundle.
import { z } from 'zod';
import type { WidgetTexts } from './widget-texts.ts';

export const ERROR_CODES = [
  'BAD_JSON',
  'VALIDATION',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'ORIGIN_NOT_ALLOWED',
  'SOLD_OUT',
  'SALES_CLOSED',
  'HOLD_EXPIRED',
  'QUANTITY_LIMIT',
  'CART_COMPLETED',
  'BUYER_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'PAYLOAD_TOO_LARGE',
  'RESUME_INVALID',
  'RESUME_EXPIRED',
  'TOO_MANY_ATTEMPTS',
  'API_KEY_REQUIRED',
  'API_KEY_NOT_ALLOWED',
  'TOO_MANY_HOLDS',
  'RATE_LIMITED',
  'CSRF',
  'SLUG_TAKEN',
  'CAPACITY_BELOW_SOLD',
  'HAS_SALES',
  'MAIL_UNAVAILABLE',
  'PAYMENT_FAILED',
  'ORDER_STATE',
  'FORBIDDEN',
  'PROMO_CODE_INVALID',
  'PROMO_CODE_EXPIRED',
  'PROMO_CODE_USED_UP',
  'CODE_TAKEN',
  'LAST_OWNER',
  'INTERNAL',
  /** The database cannot take a write just now (locked, full, restarting); with Retry-After. */
  'UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  error: { code: ErrorCode; message: string; field?: string };
}

/** One input at fault: what is wrong with it and where (a dotted path such as "steps.0.delayMinutes"). */
export interface FieldIssue {
  code: ErrorCode;
  message: string;
  field: string;
}

/**
 * The one error shape. `errors` is there when the request named fields: every field at fault,
 * the first of them also being `error`, so a form can mark them all at once.
 */
export type ApiErrorBody = ApiError & { errors?: FieldIssue[] };

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const id = z.string().min(1).max(64);
const quantity = z.number().int().min(0).max(1000);
const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);

// Unknown keys are dropped, not rejected: a client-sent price or total has no effect.
export const itemInput = z.object({ ticketTypeId: id, quantity });
export const itemsInput = z.array(itemInput).max(50);

export const createCartInput = z.object({
  performanceId: id,
  items: itemsInput,
  locale: z.enum(LOCALES).optional(),
  pageUrl: httpUrl.optional(),
});
export type CreateCartInput = z.infer<typeof createCartInput>;

/** Control characters (line breaks and tabs among them) and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

export const buyerInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254).optional(),
  /** One line: it is shown in emails sent to the address given, so no paragraphs of someone else's text. */
  name: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .refine((s) => !CONTROL.test(s), 'A name is one line of text, without control characters')
    .optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^\+?[0-9 ()-]{5,40}$/, 'Phone number may contain digits, spaces, ( ) - and a leading +')
    .optional(),
  /** Answers to the organizer's questions (settings.fields.custom), by field id; "" clears one. */
  answers: z.record(z.string().max(64), z.string().trim().max(500)).optional(),
});

export const updateCartInput = z.object({
  items: itemsInput.optional(),
  buyer: buyerInput.optional(),
  consent: z.boolean().optional(),
  locale: z.enum(LOCALES).optional(),
  pageUrl: httpUrl.optional(),
  /** A promo code (or a reminder's code) to apply; null or "" removes the cart's code. */
  discountCode: z.string().trim().max(40).nullable().optional(),
});
export type UpdateCartInput = z.infer<typeof updateCartInput>;

export const resumeInput = z.object({
  token: z.string().min(10).max(500),
  /** The widget's random id for this browser (localStorage): the first to redeem a cart's link sees its buyer details. */
  device: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional(),
});

export interface ResumeResponse {
  cart: CartView;
  resume: {
    state: 'restored' | 'partly_unavailable' | 'unavailable' | 'event_over' | 'completed';
    unavailable: { ticketTypeId: string; name: string; requested: number; held: number }[];
    alternatives: { performanceId: string; startsAt: string }[];
    /**
     * Set when another browser redeemed this cart's link first: the buyer's details are not
     * returned (cart.buyer is empty) and this hint says where the reminder went, e.g. a***@example.com.
     */
    maskedEmail?: string;
  };
}

export const checkoutInput = z.object({
  paymentMethod: z.enum(['box_office']).optional(),
});
export type CheckoutInput = z.infer<typeof checkoutInput>;

export interface WidgetSettings {
  accentColor: string;
  holdMinutes: number;
  consentMode: 'opt-in' | 'notice';
  consentText: Partial<Record<Locale, string>>;
  /** Whether the widget shows a phone field: `fields.phone !== 'off'`. */
  askPhone: boolean;
  fields: {
    phone: 'off' | 'optional' | 'required';
    /** Rendered by the widget under the buyer's details; at most 5. */
    custom: { id: string; label: Partial<Record<Locale, string>>; required: boolean }[];
  };
  buttonTexts: Partial<Record<Locale, Partial<Record<'open' | 'checkout', string>>>>;
  supportEmail: string | null;
  supportPhone: string | null;
  defaultLocale: Locale;
}

export interface TicketTypeView {
  id: string;
  name: string;
  price: number;
  available: number;
  minPerOrder: number;
  maxPerOrder: number;
}

export interface PerformanceView {
  id: string;
  startsAt: string;
  salesCloseAt: string;
  onSale: boolean;
  ticketTypes: TicketTypeView[];
}

/** `GET /api/v1/events/{slug}?locale=`: without a locale, the organizer's defaultLocale. */
export const eventQuery = z.object({
  locale: z.enum(LOCALES).optional(),
  /** A console preview token (POST /api/console/v1/preview): unsaved widget settings to draw with. */
  preview: z.string().max(12_000).optional(),
});

export type { WidgetTexts };

export interface EventBootstrap {
  /** Whether the page asking (its Origin) may start carts: one of the organizer's sites, or no Origin sent. */
  originAllowed: boolean;
  event: {
    slug: string;
    title: string;
    description: string;
    venue: string;
    timeZone: string;
    currency: string;
    organizer: { name: string };
  };
  performances: PerformanceView[];
  settings: WidgetSettings;
  /**
   * Whether to offer a promo code field: the organizer has a code that could apply to this event,
   * or reminders that carry codes. (A field nobody has a code for sends buyers off to look for one.)
   */
  promoCodes: boolean;
  /** The locale `texts` are in: the one asked for, else the organizer's default. */
  locale: Locale;
  /** The widget's UI text in `locale`, key → string; `{name}` placeholders are the widget's to fill. */
  texts: WidgetTexts;
}

export interface CartItemView {
  ticketTypeId: string;
  name: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export interface CartView {
  id: string;
  token?: string;
  status: 'open' | 'completed';
  expiresAt: string | null;
  holdActive: boolean;
  performanceId: string;
  eventSlug: string;
  currency: string;
  items: CartItemView[];
  /** Sum of the lines; `total` is what the buyer pays after any discount. */
  subtotal: number;
  discount: { code: string; label: string; amount: number } | null;
  total: number;
  buyer: { email: string | null; name: string | null; phone: string | null; answers: Record<string, string> };
  consent: { given: boolean; text: string | null; at: string | null };
  orderId: string | null;
}

export interface TicketView {
  code: string;
  ticketTypeId: string;
  name: string;
  price: number;
}

export interface OrderView {
  id: string;
  number: string;
  /** `pending_payment` → `paid` | `expired` | `cancelled`; `reserved` (box office) → `paid` | `expired` | `cancelled`. */
  status: 'pending_payment' | 'reserved' | 'paid' | 'expired' | 'cancelled' | 'refunded';
  subtotal: number;
  discount: { code: string; amount: number } | null;
  total: number;
  currency: string;
  /** `box_office`, `free`, or the online payment provider's id (e.g. `demo`). */
  paymentMethod: string;
  buyer: { email: string; name: string; phone: string | null; answers: Record<string, string> };
  performanceId: string;
  /** While unpaid (`pending_payment`, `reserved`): when the order stops holding its seats (ISO); null: never, or no longer unpaid. */
  expiresAt: string | null;
  /** Issued once the order is paid (a box-office reservation's codes name it at the desk); empty before. */
  tickets: TicketView[];
  /** The buyer's money is being (or was) given back: paid after the order ended, or refunded. */
  moneyBack?: boolean;
  /** The order page's path on the API origin (`/o/<token>`, no sign-in): tickets with QR codes, the PDF; `<page>/event.ics` adds it to a calendar. */
  page?: string;
}

export interface CheckoutResponse {
  order: OrderView;
  /** An online payment: send the buyer here (same tab); they come back with `?encore_order=<order id>`. */
  payment?: { redirectUrl: string };
}

// Console: webhook endpoints (server/webhooks/console-routes.ts).
export const WEBHOOK_EVENT_TYPES = [
  'order.completed',
  'cart.abandoned',
  'cart.recovered',
  'order.paid',
  'order.cancelled',
  'order.refunded',
  'order.expired',
] as const;
const webhookEvents = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length * 2);
export const webhookEndpointInput = z.object({ url: z.string().trim().min(1).max(2000), events: webhookEvents });
export type WebhookEndpointInput = z.infer<typeof webhookEndpointInput>;
export const webhookEndpointPatch = z.object({
  url: z.string().trim().min(1).max(2000).optional(),
  events: webhookEvents.optional(),
  active: z.boolean().optional(),
});
export type WebhookEndpointPatch = z.infer<typeof webhookEndpointPatch>;
