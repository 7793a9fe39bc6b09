// A real SMTP server for tests: records what it receives, can refuse chosen recipients with a
// given reply code and can take its time per message. Tests wait on what has arrived rather than
// sleeping for it.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  messageId: string | null;
  to: string[];
  raw: string;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: Received[];
  /** Resolves once `count` messages have arrived; fails after `timeoutMs` with how many did. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSmtp(o: { refuse?: (rcpt: string) => number | null; latencyMs?: number } = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  const waiting = new Set<{ count: number; resolve: () => void }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // No DNS on loopback: a reverse lookup of 127.0.0.1 only adds latency to every message.
    disableReverseLookup: true,
    // A client still connected at close (a pooled transport a test did not close) is cut off
    // after a second instead of smtp-server's 30.
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const code = o.refuse?.(address.address) ?? null;
      if (code === null) return callback();
      callback(Object.assign(new Error(`Refused by the test server (${code})`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const done = () => {
          received.push({
            messageId: raw.match(/^Message-ID:\s*(<[^>\r\n]+>)/im)?.[1] ?? null,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          for (const w of waiting) if (received.length >= w.count) w.resolve();
          callback();
        };
        if (o.latencyMs) setTimeout(done, o.latencyMs);
        else done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;
  function waitFor(count: number, timeoutMs: number) {
    if (received.length >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        count,
        resolve: () => {
          waiting.delete(waiter);
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        waiting.delete(waiter);
        reject(new Error(`${received.length} of ${count} messages arrived within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      waiting.add(waiter);
    });
  }
  return { port, url: `smtp://127.0.0.1:${port}`, received, waitFor, close: () => new Promise((r) => server.close(() => r())) };
}
