// Sending mail over SMTP. The worker depends only on `MailTransport`, so tests and other
// transports can stand in; production uses nodemailer against SMTP_URL or the built-in catcher.
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Deterministic (`<outbox-id@encore>`), so a duplicate sent after a crash is recognisable. */
  messageId: string;
  /** The Date header; the worker passes its injected clock's time. */
  date?: Date;
}

export interface MailTransport {
  sendMail(message: OutgoingMail): Promise<{ messageId: string }>;
}

/** One connection per message (no pool): the worker sends one at a time and a stuck
 * connection must not hold a whole batch hostage. Timeouts are short so a dead server turns
 * into a retry quickly instead of an idle worker. */
export function createMailTransport(url: string): MailTransport & { close(): void } {
  const transporter = nodemailer.createTransport({
    url,
    pool: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
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
