// The built-in demo provider, for `npm start` as the mail catcher is for mail: its "payment page"
// is on the API origin, where the visitor presses Pay or Decline. The page then sends a
// notification signed with the instance secret through the same path a real provider's takes
// (payments/lifecycle.ts handleNotification), so the demo exercises the real rules. Once the
// order expired the page takes no payment (payments/routes.ts), as a closed checkout would.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { NotificationRefused, type Notification, type PaymentProvider } from './provider.ts';

export const DEMO_SIGNATURE_HEADER = 'encore-demo-signature';

export const signDemo = (secret: string, body: string) => createHmac('sha256', secret).update(`demo-payment.${body}`).digest('hex');

const notificationBody = z.object({ paymentId: z.string().min(1), status: z.enum(['succeeded', 'declined']) });

export function demoProvider(o: { secret: string; baseUrl: string }): PaymentProvider<Record<string, never>> {
  return {
    id: 'demo',
    settingsSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    async start(payment) {
      const providerPaymentId = `demo_${payment.paymentId}`;
      return { providerPaymentId, redirectUrl: `${o.baseUrl}/payments/demo/${providerPaymentId}` };
    },
    async verifyNotification(n: Notification) {
      const given = Buffer.from(n.headers[DEMO_SIGNATURE_HEADER] ?? '', 'hex');
      const expected = Buffer.from(signDemo(o.secret, n.body), 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new NotificationRefused('bad demo signature');
      const body = notificationBody.safeParse(JSON.parse(n.body));
      if (!body.success) throw new NotificationRefused('unreadable demo notification');
      return { providerPaymentId: body.data.paymentId, status: body.data.status };
    },
    // Demo money is not real: nothing to send back.
    async refund() {},
    // The page decides and notifies in one request and keeps no record of its own: if that
    // notification failed, the payment is still pending here and the page offers Pay again (while
    // the order waits). So reconciliation has nothing to learn: the answer is honestly `pending`.
    async status(providerPaymentId) {
      return { providerPaymentId, status: 'pending' };
    },
  };
}
