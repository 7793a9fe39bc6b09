// YooKassa (payments API v3) with a 54-FZ receipt on every payment and refund. Every POST carries
// an Idempotence-Key derived from our payment (or refund), so a retried call makes one payment.
// A notification is never trusted: its payment is fetched back with the organizer's credentials
// and that status is what counts (YooKassa's recommended check; their notification IP allow-list
// is optional on top, at a proxy). Errors, 5xx and timeouts become ProviderUnavailable: nothing
// was recorded on our side and the same call may be made again.
import { z } from 'zod';
import {
  NotificationRefused,
  ProviderUnavailable,
  type Notification,
  type PaymentLine,
  type PaymentOutcome,
  type PaymentProvider,
  type RefundDetails,
} from './provider.ts';

export const YOOKASSA_API_URL = 'https://api.yookassa.ru/v3';

export const yookassaSettingsSchema = z
  .object({
    shopId: z.string().regex(/^\d+$/, 'The shop id is a number (YooKassa: Integration → API keys)'),
    secretKey: z.string().min(1),
    /** The receipt's vat_code: 1 no VAT (default), 2 0 %, 3 10 %, 4 20 %, 5 10/110, 6 20/120, 7–12 the newer rates. */
    vatCode: z.number().int().min(1).max(12).default(1),
    mode: z.enum(['test', 'live']).default('test'),
  })
  .refine((s) => s.secretKey.startsWith(`${s.mode}_`), { message: "A test shop's secret key starts with test_, a live one's with live_", path: ['secretKey'] });

export type YookassaSettings = z.infer<typeof yookassaSettingsSchema>;

/** Minor units (kopecks) → YooKassa's decimal string, with integer arithmetic only: 150000 → "1500.00". */
export function toDecimal(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`Not an amount in minor units: ${minor}`);
  const cents = minor % 100;
  return `${(minor - cents) / 100}.${String(cents).padStart(2, '0')}`;
}

/** YooKassa's decimal string → minor units: "1500.00" → 150000, "0.5" → 50. */
export function fromDecimal(value: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) throw new RangeError(`Not a YooKassa amount: ${value}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const money = z.object({ value: z.string(), currency: z.string() });
const paymentObject = z.object({
  id: z.string().min(1),
  status: z.enum(['pending', 'waiting_for_capture', 'succeeded', 'canceled']),
  amount: money,
  confirmation: z.object({ confirmation_url: z.string().url().optional() }).optional(),
});
const refundObject = z.object({
  id: z.string().min(1),
  status: z.enum(['pending', 'succeeded', 'canceled']),
  cancellation_details: z.object({ reason: z.string() }).optional(),
});
const notificationBody = z.object({
  type: z.literal('notification'),
  event: z.string(),
  object: z.object({ id: z.string().min(1), payment_id: z.string().min(1).optional() }),
});

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function receipt(email: string, lines: PaymentLine[], amount: number, currency: string, vatCode: number) {
  const sum = lines.reduce((total, l) => total + l.quantity * l.unitAmount, 0);
  if (sum !== amount) throw new RangeError(`Receipt lines sum to ${sum}, not ${amount}`);
  return {
    customer: { email },
    items: lines.map((l) => ({
      description: clip(l.description, 128),
      quantity: l.quantity,
      amount: { value: toDecimal(l.unitAmount), currency },
      vat_code: vatCode,
      payment_subject: 'service',
      payment_mode: 'full_payment',
    })),
  };
}

const STATUS: Record<z.infer<typeof paymentObject>['status'], PaymentOutcome['status']> = {
  pending: 'pending',
  waiting_for_capture: 'pending',
  succeeded: 'succeeded',
  canceled: 'declined',
};

export function yookassaProvider(o: { apiUrl?: string; timeoutMs?: number } = {}): PaymentProvider<YookassaSettings> {
  const apiUrl = (o.apiUrl ?? YOOKASSA_API_URL).replace(/\/+$/, '');
  const timeoutMs = o.timeoutMs ?? 10_000;

  /** One API call; null for a 404. Anything but a 2xx JSON answer is ProviderUnavailable. */
  async function call(s: YookassaSettings, method: 'GET' | 'POST', path: string, body?: { json: unknown; idempotenceKey: string }) {
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${s.shopId}:${s.secretKey}`).toString('base64')}`,
      accept: 'application/json',
    };
    if (body) Object.assign(headers, { 'content-type': 'application/json', 'idempotence-key': body.idempotenceKey });
    const what = `YooKassa ${method} ${path}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${apiUrl}${path}`, { method, headers, body: body && JSON.stringify(body.json), signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (error) {
      const e = error as Error;
      throw new ProviderUnavailable(`${what}: ${e.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : e.message}`);
    }
    if (res.status === 404) return null;
    // 202: YooKassa is still processing the request; the same call with the same key gets the result.
    if (res.status !== 200) {
      const error = safeJson(text) as { code?: string; description?: string } | undefined;
      throw new ProviderUnavailable(`${what} answered ${res.status}${error?.code ? ` ${error.code}: ${error.description ?? ''}` : ''}`);
    }
    const json = safeJson(text);
    if (json === undefined) throw new ProviderUnavailable(`${what} answered 200 without JSON`);
    return json;
  }

  async function fetchPayment(s: YookassaSettings, id: string) {
    const json = await call(s, 'GET', `/payments/${encodeURIComponent(id)}`);
    if (json === null) return null;
    const payment = paymentObject.safeParse(json);
    if (!payment.success) throw new ProviderUnavailable(`YooKassa GET /payments/${id}: not a payment object`);
    return payment.data;
  }

  return {
    id: 'yookassa',
    settingsSchema: yookassaSettingsSchema as z.ZodType<YookassaSettings>,

    async start(p, s) {
      const json = await call(s, 'POST', '/payments', {
        idempotenceKey: p.idempotencyKey,
        json: {
          amount: { value: toDecimal(p.amount), currency: p.currency },
          capture: true,
          confirmation: { type: 'redirect', return_url: p.returnUrl },
          description: clip(p.description, 128),
          metadata: { orderId: p.orderId, paymentId: p.paymentId },
          receipt: receipt(p.buyerEmail, p.lines, p.amount, p.currency, s.vatCode),
        },
      });
      const payment = paymentObject.safeParse(json);
      const redirectUrl = payment.success ? payment.data.confirmation?.confirmation_url : undefined;
      if (!payment.success || !redirectUrl) throw new ProviderUnavailable('YooKassa POST /payments: no payment with a confirmation_url in the answer');
      return { providerPaymentId: payment.data.id, redirectUrl };
    },

    // The body only names the payment; its status is the one YooKassa gives us for it now.
    async verifyNotification(n: Notification, s) {
      const body = notificationBody.safeParse(safeJson(n.body));
      if (!body.success) throw new NotificationRefused('not a YooKassa notification');
      const { event, object } = body.data;
      const paymentId = event.startsWith('refund.') ? object.payment_id : object.id;
      if (!paymentId) throw new NotificationRefused(`a ${event} notification without a payment id`);
      const payment = await fetchPayment(s, paymentId);
      if (!payment) throw new NotificationRefused(`YooKassa knows no payment ${paymentId} in this shop`);
      return { providerPaymentId: payment.id, status: STATUS[payment.status] };
    },

    async refund(providerPaymentId, amount, s, details?: RefundDetails) {
      if (!details) throw new Error('A YooKassa refund needs its receipt details (54-FZ)');
      const json = await call(s, 'POST', '/refunds', {
        idempotenceKey: details.idempotencyKey,
        json: {
          payment_id: providerPaymentId,
          amount: { value: toDecimal(amount), currency: details.currency },
          receipt: receipt(details.buyerEmail, details.lines, amount, details.currency, s.vatCode),
        },
      });
      const refund = refundObject.safeParse(json);
      if (!refund.success) throw new ProviderUnavailable('YooKassa POST /refunds: not a refund object');
      if (refund.data.status === 'canceled') {
        throw new Error(`YooKassa canceled refund ${refund.data.id}: ${refund.data.cancellation_details?.reason ?? 'no reason given'}`);
      }
    },

    async status(providerPaymentId, s) {
      const payment = await fetchPayment(s, providerPaymentId);
      if (!payment) throw new ProviderUnavailable(`YooKassa knows no payment ${providerPaymentId} in this shop`);
      return { providerPaymentId, status: STATUS[payment.status] };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
