// A world with recovery running: the app, the recovery jobs on the same moved clock, and a real
// SMTP server (the built-in catcher, an smtp-server) receiving what nodemailer sends.
import { afterEach } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createViewCounter } from '../../server/stats/view-counter.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../server/platform/mail/catcher.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import type { Reply } from './console-world.ts';
import { bearer, SITE, world, type EventOptions } from './world.ts';

const SECRET = 'test-secret-for-signing-links-0123456789';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

/** `demoPayments`: the app offers the built-in demo provider, its pages under `PAYMENTS_BASE`. */
export const PAYMENTS_BASE = 'https://api.encore.test';

export async function recoveryWorld(options: EventOptions & { demoPayments?: boolean } = {}) {
  const w = await world(options);
  const catcher: MailCatcher = await startMailCatcher({ port: 0, host: '127.0.0.1' });
  const transport = createMailTransport(`smtp://127.0.0.1:${catcher.port}`);
  // The transport first: a pooled connection closes cleanly while the catcher still answers.
  open.push(transport, catcher);
  // The stats tests read views through their own sub-app: they flush this counter.
  const views = createViewCounter(w.db);
  const payments = options.demoPayments ? { demoPayments: true, publicBaseUrl: PAYMENTS_BASE } : {};
  const app = createApp({ db: w.db, now: w.clock.now, secret: SECRET, views, log: (l) => w.logs.push(l), ...payments });
  const jobs = createRecoveryJobs({
    db: w.db,
    tx: writeTransactions(w.db),
    now: w.clock.now,
    transport,
    from: '"Test Theatre" <tickets@theatre.example>',
    links: { secret: SECRET, publicBaseUrl: 'https://tickets.example', extraOrigins: [] },
    log: (l) => w.logs.push(l),
    // The tests' webhook receivers listen on loopback, which production refuses.
    allowLoopbackWebhooks: true,
  });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // HTML pages stay text.
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };

  /** A visitor picks tickets, types an email (and consents) and leaves. */
  async function leaveCart(o: { email?: string; consent?: boolean; quantity?: number; performanceId?: string; ticketTypeId?: string } = {}) {
    const created = await call('POST', '/api/v1/carts', {
      performanceId: o.performanceId ?? w.performanceId,
      items: [{ ticketTypeId: o.ticketTypeId ?? w.standard, quantity: o.quantity ?? 2 }],
      pageUrl: `${SITE}/repertoire?utm=x#top`,
      locale: 'en',
    });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    const auth = bearer(created.body.token);
    if (o.email !== undefined) {
      await call('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: o.email, name: 'Anna' }, consent: o.consent ?? true }, auth);
    }
    return { id: created.body.id as string, token: created.body.token as string, auth };
  }

  /** Moves the clock and runs one recovery round, as the loop would. */
  async function after(minutes: number) {
    w.clock.advance(minutes);
    return jobs.runOnce();
  }

  /** Oldest first, as parsed by mailparser in the catcher. */
  const all = (): CaughtMail[] => catcher.list().slice().reverse();
  const isReminder = (m: CaughtMail) => m.headers.some((h) => h.name.toLowerCase() === 'list-unsubscribe');
  /** The reminders caught, oldest first (order mail, which carries no List-Unsubscribe, apart). */
  const inbox = (): CaughtMail[] => all().filter(isReminder);
  /** Confirmations and order notices caught, oldest first. */
  const orderInbox = (): CaughtMail[] => all().filter((m) => !isReminder(m));

  return { ...w, app, call, jobs, catcher, views, leaveCart, after, inbox, orderInbox, secret: SECRET };
}

export function resumeTokenFrom(mail: CaughtMail): string {
  const match = String(mail.text).match(/encore_resume=([A-Za-z0-9_.-]+)/);
  if (!match) throw new Error(`no resume link in: ${mail.text}`);
  return match[1]!;
}
