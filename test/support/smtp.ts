// A real SMTP server for tests: records what it receives, can refuse chosen recipients with a
// given reply code and can take its time per message.
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
  close(): Promise<void>;
}

export async function startTestSmtp(o: { refuse?: (rcpt: string) => number | null; latencyMs?: number } = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // No DNS on loopback: a reverse lookup of 127.0.0.1 only adds latency to every message.
    disableReverseLookup: true,
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
  return { port, url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(() => r())) };
}
