// The work a busy theatre's server does all day, as one script: a visitor's bootstrap and whole
// purchase, a cart left with an email, the recovery rounds that abandon it and send its
// reminder, the reminder's link, an unsubscribe, a purchase inside the attribution window, and
// the retention sweep. The hot-path test runs it on a small database and checks every plan;
// bench/hot-paths.ts runs it on an empty and on the million-cart database and compares.
import { createApp } from '../../server/app.ts';
import { writeTransactions, type Db } from '../../server/platform/db/database.ts';
import type { OutgoingMail } from '../../server/platform/mail/transport.ts';
import { createRecoveryJobs } from '../../server/loop.ts';

export interface Catalogue {
  slug: string;
  performanceId: string;
  ticketTypeId: string;
}

const json = { 'content-type': 'application/json' };
/** The page visitors leave from; allowed for every organizer here, as the demo site is. */
const SITE = 'https://theatre.example';

export function hotPathServer(db: Db, now: () => Date, o: { demoPayments?: boolean } = {}) {
  /** Reminders sent. */
  const sent: OutgoingMail[] = [];
  /** Confirmations and notices sent (tickets/order-mail-job.ts). */
  const orderMail: OutgoingMail[] = [];
  const app = createApp({ db, now, secret: 'hot-path-secret', extraOrigins: [SITE], log: () => {}, demoPayments: o.demoPayments });
  const jobs = createRecoveryJobs({
    db,
    tx: writeTransactions(db),
    now,
    transport: {
      sendMail: async (m) => {
        // Reminders carry List-Unsubscribe; order mail (confirmations, notices) does not.
        (m.headers?.['List-Unsubscribe'] ? sent : orderMail).push(m);
        return { messageId: m.messageId };
      },
    },
    from: 'Bench <bench@example.com>',
    links: { secret: 'hot-path-secret', publicBaseUrl: 'https://tickets.example', extraOrigins: [SITE] },
    log: () => {},
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await app.request(path, { method, headers: { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** A visitor: bootstrap, hold, details, buy. Returns the order. */
  async function purchase(c: Catalogue, email: string, key: string, pageUrl?: string) {
    await call('GET', `/api/v1/events/${c.slug}`);
    const cart = await call('POST', '/api/v1/carts', { performanceId: c.performanceId, items: [{ ticketTypeId: c.ticketTypeId, quantity: 2 }], pageUrl });
    const auth = { authorization: `Bearer ${cart.token}` };
    await call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email, name: 'Bench Buyer' }, consent: true }, auth);
    return call('POST', `/api/v1/carts/${cart.id}/checkout`, {}, { ...auth, 'idempotency-key': key });
  }

  /** A visitor who types an email, consents and leaves. */
  async function leave(c: Catalogue, email: string) {
    const cart = await call('POST', '/api/v1/carts', {
      performanceId: c.performanceId,
      items: [{ ticketTypeId: c.ticketTypeId, quantity: 1 }],
      pageUrl: `${SITE}/`,
    });
    await call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email, name: 'Leaver' }, consent: true }, { authorization: `Bearer ${cart.token}` });
    return cart.id as string;
  }

  const linkToken = (mail: OutgoingMail, pattern: RegExp) => pattern.exec(mail.text)?.[1];

  return {
    app,
    jobs,
    sent,
    orderMail,
    call,
    purchase,
    leave,
    /** The reminder's resume link, followed. */
    resume: (mail: OutgoingMail) => call('POST', '/api/v1/resume', { token: linkToken(mail, /encore_resume=([A-Za-z0-9_.-]+)/) }),
    /** The reminder's one-click unsubscribe. */
    unsubscribe: (mail: OutgoingMail) =>
      app.request(`/u/${linkToken(mail, /\/u\/([A-Za-z0-9_.-]+)/)}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
  };
}
