// A console world: a fresh database, an app whose console lives at CONSOLE_ORIGIN, organizers
// with console users, and HTTP clients signed in by cookie or by API key.
import { createApp } from '../../server/app.ts';
import { createApiKey, createOrganizer } from '../../server/console/accounts.ts';
import type { ApiKeyScope } from '../../server/contracts/console.ts';
import type { MailTransport, OutgoingMail } from '../../server/platform/mail/transport.ts';
import { Clock, freshDatabase } from './world.ts';

export const CONSOLE_ORIGIN = 'https://tickets.example';
export const API = '/api/console/v1';

export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON, or the text of a page that is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it asserts on; typing every reply would restate the contracts those assertions check
  body: any;
}

export type Client = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

/** `mail: false`: no mail transport (the console's sends answer 503 MAIL_UNAVAILABLE); `mailFails`: one whose server is down. */
export async function consoleWorld(o: { mail?: boolean; mailFails?: boolean } = {}) {
  const clock = new Clock();
  const { db, path } = await freshDatabase();
  const logs: string[] = [];
  // One proxy of ours in front: a test names the client by X-Forwarded-For (without it, all are one).
  // Mail the console sends (password reset links), kept here.
  const mail: OutgoingMail[] = [];
  const mailTransport: MailTransport = {
    sendMail: async (m) => {
      if (o.mailFails) throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:587'), { code: 'ESOCKET' });
      mail.push(m);
      return { messageId: m.messageId };
    },
  };
  const app = createApp({
    db,
    now: clock.now,
    consoleOrigin: CONSOLE_ORIGIN,
    publicBaseUrl: CONSOLE_ORIGIN,
    log: (l) => logs.push(l),
    trustProxy: 1,
    mailTransport: o.mail === false ? undefined : mailTransport,
  });

  const request: Client = async (method, url, body, headers = {}) => {
    const res = await app.request(url, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };

  let n = 0;
  async function organizer(name = 'Theatre') {
    n += 1;
    const email = `boss${n}@theatre${n}.example`;
    const password = `correct-horse-${n}`;
    const created = await createOrganizer(
      db,
      { name, allowedOrigins: [`https://theatre${n}.example`], user: { email, password, name: `Boss ${n}`, locale: 'en' } },
      clock.now(),
    );
    return { ...created, email, password };
  }

  async function signIn(email: string, password: string) {
    const res = await request('POST', `${API}/session`, { email, password });
    if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = res.body.csrfToken as string;
    const client: Client = (method, url, body, headers = {}) =>
      request(method, `${API}${url}`, body, { cookie, 'x-csrf-token': csrf, origin: CONSOLE_ORIGIN, ...headers });
    return { client, cookie, csrf, session: res.body };
  }

  async function apiKey(organizerId: string, scopes?: ApiKeyScope[]) {
    const { key, id } = await createApiKey(db, organizerId, 'test', clock.now(), scopes);
    const client: Client = (method, url, body, headers = {}) => request(method, `${API}${url}`, body, { authorization: `Bearer ${key}`, ...headers });
    return { client, key, id };
  }

  return { db, path, clock, app, request, logs, mail, organizer, signIn, apiKey };
}

/** One performance three days ahead and one ticket type, created through the console API. */
export async function eventThroughApi(client: Client, clock: Clock, slug: string) {
  const event = await client('POST', '/events', { slug, title: `Title of ${slug}`, timeZone: 'Europe/Moscow', currency: 'RUB' });
  const startsAt = new Date(clock.now().getTime() + 3 * 86_400_000).toISOString();
  const performance = await client('POST', `/events/${event.body.id}/performances`, { startsAt });
  const ticketType = await client('POST', `/events/${event.body.id}/ticket-types`, {
    name: 'Stalls',
    price: 150000,
    capacity: 10,
    minPerOrder: 1,
    maxPerOrder: 6,
  });
  if (event.status !== 201 || performance.status !== 201 || ticketType.status !== 201) {
    throw new Error(`fixture failed: ${JSON.stringify([event.body, performance.body, ticketType.body])}`);
  }
  return { event: event.body, performance: performance.body, ticketType: ticketType.body };
}
