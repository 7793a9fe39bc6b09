// Tokens in reminder emails. They carry what they point at and an HMAC, so they need no table,
// cannot be forged or guessed (128-bit signature), and expire with their series.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, 16).toString('base64url');
}

function seal(secret: string, parts: string[]): string {
  const payload = Buffer.from(parts.join('|')).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

function open(secret: string, token: string): string[] | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return Buffer.from(payload, 'base64url').toString().split('|');
}

export interface ResumeClaim {
  seriesId: string;
  step: number;
  expiresAt: Date;
}

export function resumeToken(secret: string, claim: ResumeClaim): string {
  return seal(secret, ['r', claim.seriesId, String(claim.step), String(Math.floor(claim.expiresAt.getTime() / 1000))]);
}

export type Opened<T> = { ok: true; claim: T } | { ok: false; reason: 'invalid' | 'expired' };

export function openResumeToken(secret: string, token: string, now: Date): Opened<ResumeClaim> {
  const parts = open(secret, token);
  if (parts?.length !== 4 || parts[0] !== 'r') return { ok: false, reason: 'invalid' };
  const claim = { seriesId: parts[1]!, step: Number(parts[2]), expiresAt: new Date(Number(parts[3]) * 1000) };
  if (!Number.isInteger(claim.step) || Number.isNaN(claim.expiresAt.getTime())) return { ok: false, reason: 'invalid' };
  if (claim.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claim };
}

export interface UnsubscribeClaim {
  organizerId: string;
  emailHash: string;
}

export function unsubscribeToken(secret: string, claim: UnsubscribeClaim): string {
  return seal(secret, ['u', claim.organizerId, claim.emailHash]);
}

export function openUnsubscribeToken(secret: string, token: string): Opened<UnsubscribeClaim> {
  const parts = open(secret, token);
  if (parts?.length !== 3 || parts[0] !== 'u') return { ok: false, reason: 'invalid' };
  return { ok: true, claim: { organizerId: parts[1]!, emailHash: parts[2]! } };
}
