// Identifiers and secrets. Anything a visitor could guess to reach someone else's cart or ticket
// carries at least 128 random bits.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Crockford base32 without look-alikes, for things people read aloud at the box office.
const READABLE = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `prefix_` + the time in ms (10 Crockford symbols, so ids sort by creation) + 128 random bits.
 * Rows then join each table's id index at its end instead of at a random page: inserting stays
 * as cheap on a table of millions as on an empty one (random ids cost 1.7× there, see
 * bench/hot-paths.ts). The time is no secret: the id is only ever shown with what it names.
 */
export function newId(prefix: string): string {
  let time = '';
  for (let t = Date.now(), i = 0; i < 10; i++, t = Math.floor(t / 32)) time = READABLE[t % 32] + time;
  return `${prefix}_${time}${randomBytes(16).toString('base64url')}`;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readableCode(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += READABLE[b & 31];
  return out;
}

/** Order numbers are short and readable; their uniqueness is enforced by the database. */
export function newOrderNumber(): string {
  return `E-${readableCode(7)}`;
}

/** 26 symbols × 5 bits = 130 random bits. */
export function newTicketCode(): string {
  return readableCode(26);
}
