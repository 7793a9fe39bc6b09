// The address a request comes from, for limits keyed by client (grab limits, sign-in throttle).
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * `trustProxy` 0: the client is the socket's peer. N: N reverse proxies of ours stand in front,
 * each appending its peer to X-Forwarded-For, so the client is the Nth address from its right
 * end (addresses further left are whatever the client chose to send).
 */
export function clientAddress(c: Context, trustProxy: number): string {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
  if (trustProxy > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    const hop = forwarded[forwarded.length - trustProxy];
    if (hop) return hop;
  }
  // No socket: a request made inside the process (app.request); all of them are one client.
  return socket ?? 'in-process';
}
