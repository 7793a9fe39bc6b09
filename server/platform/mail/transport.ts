// Sending mail over SMTP. The worker depends only on `MailTransport`, so tests and other
// transports can stand in; production uses nodemailer against SMTP_URL or the built-in catcher.
import nodemailer from 'nodemailer';
import type { DkimConfig } from '../config.ts';

export interface OutgoingMail {
  /** A string as in MAIL_FROM, or a name and address (see sender.ts). */
  from: string | { name: string; address: string };
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** Deterministic (`<outbox-id@encore>`), so a duplicate sent after a crash is recognisable. */
  messageId: string;
  /** The Date header; the worker passes its injected clock's time. */
  date?: Date;
  /** Files (an order's PDF and .ics) and inline images (`cid`, the tickets' QR codes). */
  attachments?: { filename: string; content: Buffer | string; contentType: string; cid?: string }[];
}

export interface MailTransport {
  sendMail(message: OutgoingMail): Promise<{ messageId: string }>;
}

/** Connections the pool keeps open, and so the reminders the job runner sends at once (recovery/reminder-job.ts). */
export const MAIL_CONNECTIONS = 4;

/** A small pool of SMTP connections, each reused for up to 100 messages: opening a connection
 * (TCP, greeting, EHLO, maybe TLS and AUTH) costs more than sending a reminder over it. The worker
 * runs at most MAIL_CONNECTIONS sends at once, so no message waits in the pool's queue behind a
 * stuck connection. A connection idle for a second is closed: a drain keeps its connections busy,
 * and between the recovery loop's rounds the relay (or a server shutting down) gets them back.
 * Timeouts stay short so a dead or stalled server turns into a retry quickly; a message whose
 * pooled connection the server had closed gets one more connection, not five, so the longest send
 * stays well under half a reminder job's lease. With `dkim`, every message is signed (DKIM_* settings). */
export function createMailTransport(url: string, options: { dkim?: DkimConfig | null } = {}): MailTransport & { close(): void } {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: MAIL_CONNECTIONS,
    maxMessages: 100,
    maxRequeues: 1,
    idleTimeout: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(options.dkim ? { dkim: options.dkim } : {}),
  });
  return {
    async sendMail(message) {
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

/** The SMTP reply that makes a failure permanent: 5xx, except 503 (bad command sequence — the
 * same message can go through on a new connection). Everything else (4xx, refused connection,
 * timeout) is worth retrying. */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code <= 599 && code !== 503;
}
