// Identifiers and secrets. Anything a visitor could guess to reach someone else's cart or ticket
// carries at least 128 random bits.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
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

// Crockford base32 without look-alikes, for things people read aloud at the box office.
const READABLE = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

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
