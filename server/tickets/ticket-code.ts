// What a ticket's QR code holds: `ENC1.<ticket code>.<check>`. The ticket code (26 symbols, 130
// random bits, tickets.code) is the ticket; the check is an HMAC of it under the instance's
// ticket secret (12 symbols, 60 bits), so a scanner rejects a made-up or mistyped code before it
// asks the database, and a device that preloaded a performance's codes can check offline. The
// payload names nothing but its own ticket: scanning it reveals no other ticket, order or buyer.
// Short and upper case so the QR stays small (alphanumeric mode) and a code can be typed by hand.
import { createHmac, timingSafeEqual } from 'node:crypto';

const READABLE = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'ENC1';
const CHECK_LENGTH = 12;

function check(secret: string, code: string): string {
  const mac = createHmac('sha256', secret).update(`ticket:${code}`).digest();
  let out = '';
  for (let i = 0; i < CHECK_LENGTH; i++) out += READABLE[mac[i]! & 31];
  return out;
}

/** The text a ticket's QR code holds (and what a door person may type). */
export function ticketQrPayload(secret: string, code: string): string {
  return `${PREFIX}.${code}.${check(secret, code)}`;
}

/**
 * The ticket code in a scanned or typed payload, or null when it is not one of ours: wrong shape
 * or a check that does not match. Accepts lower case, spaces and dashes as typed by hand.
 */
export function openTicketQr(secret: string, scanned: string): string | null {
  const text = scanned
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  const m = /^ENC1\.([0-9A-HJKMNP-TV-Z]{26})\.([0-9A-HJKMNP-TV-Z]{12})$/.exec(text);
  if (!m) return null;
  const [, code, given] = m as unknown as [string, string, string];
  const expected = Buffer.from(check(secret, code));
  return timingSafeEqual(Buffer.from(given), expected) ? code : null;
}
