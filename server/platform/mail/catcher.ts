// The built-in mail catcher: a local SMTP server that keeps what it receives in memory, so
// `npm start` shows reminders arriving without a mail account. Loopback only, no TLS, no auth
// required (nodemailer still sends AUTH if SMTP_URL carries credentials; any are accepted).
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: string;
  receivedAt: string;
  messageId: string | null;
  from: string;
  /** Envelope recipients (what the sender asked us to deliver to). */
  to: string[];
  subject: string;
  date: string | null;
  text: string;
  html: string | null;
  /** Header lines in order, unfolded; subjects and addresses decoded (=?UTF-8?B?…?= → text). */
  headers: { name: string; value: string }[];
}

export interface MailCatcher {
  port: number;
  /** Newest first. */
  list(): CaughtMail[];
  get(id: string): CaughtMail | undefined;
  close(): Promise<void>;
}

const KEEP = 500;

/** What mailparser decoded, where that is text: unstructured headers (Subject) and addresses
 * (From, Reply-To). Anything else (dates, parameters, repeated headers) is shown as sent. */
function readable(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const text = (value as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : null;
}
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export async function startMailCatcher(options: { port: number; host?: string }): Promise<MailCatcher> {
  const caught: CaughtMail[] = [];
  let counter = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    banner: 'Encore mail catcher',
    logger: false,
    // No DNS on loopback: a reverse lookup of 127.0.0.1 only adds latency to every message.
    disableReverseLookup: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'catcher' }),
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          counter += 1;
          caught.unshift({
            id: String(counter),
            receivedAt: new Date().toISOString(),
            messageId: parsed.messageId ?? null,
            from: parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            date: parsed.date ? parsed.date.toISOString() : null,
            text: parsed.text ?? '',
            html: parsed.html || null,
            headers: parsed.headerLines.map(({ key, line }) => {
              const colon = line.indexOf(':');
              return {
                name: line.slice(0, colon),
                value:
                  readable(parsed.headers.get(key)) ??
                  line
                    .slice(colon + 1)
                    .replace(/\r?\n[ \t]+/g, ' ')
                    .trim(),
              };
            }),
          });
          caught.length = Math.min(caught.length, KEEP);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A broken client connection must not take the process down.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    list: () => caught.slice(),
    get: (id) => caught.find((m) => m.id === id),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
