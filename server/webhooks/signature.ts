// Signing webhook deliveries, and checking them on the receiving side. Exported for receivers:
// the README shows the same check in plain JS.
//
//   Encore-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// The timestamp is inside the signed text, so an old delivery replayed later fails the
// tolerance check even though its body and signature are genuine.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Encore-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body`, signed at `now`. Each attempt is signed afresh. */
export function signWebhook(o: { secret: string; body: string; now: Date }): string {
  const t = Math.floor(o.now.getTime() / 1000);
  return `t=${t},v1=${hmac(o.secret, t, o.body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * `body` must be the raw request body, byte for byte, before any JSON parsing. Several `v1=`
 * entries are accepted (any one may match), so a sender may sign with two secrets at once.
 */
export function verifyWebhookSignature(o: {
  secret: string;
  header: string | null | undefined;
  body: string;
  now?: Date;
  toleranceSeconds?: number;
}): VerifyResult {
  if (!o.header) return { ok: false, reason: 'missing signature header' };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of o.header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value) signatures.push(value);
  }
  if (timestamp === null) return { ok: false, reason: 'no timestamp in signature header' };
  if (signatures.length === 0) return { ok: false, reason: 'no v1 signature in signature header' };
  const now = Math.floor((o.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (o.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'timestamp outside the tolerance (replayed or clock skew)' };
  }
  const expected = Buffer.from(hmac(o.secret, timestamp, o.body), 'hex');
  const matches = signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'signature does not match' };
}
