// Console preview tokens: an organizer's unsaved widget settings, carried to the widget inside
// the preview iframe. The token is the settings themselves, compressed and signed with the
// instance secret (HMAC-SHA256 under its own label), so any API instance can check it and nothing
// is stored. It names its organizer and expires after 30 minutes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { WidgetSettings } from '../contracts/widget.ts';
import { settingsSchema } from './settings.ts';

export const PREVIEW_TTL_MS = 30 * 60_000;

interface Payload {
  /** organizer id */
  o: string;
  /** expiry, ms since the epoch */
  e: number;
  /** the full, validated widget settings */
  s: WidgetSettings;
}

const mac = (secret: string, body: string) => createHmac('sha256', `${secret}:console-preview`).update(body).digest();

export function signPreview(secret: string, organizerId: string, settings: WidgetSettings, now: Date): { token: string; expiresAt: string } {
  const e = now.getTime() + PREVIEW_TTL_MS;
  const body = deflateRawSync(JSON.stringify({ o: organizerId, e, s: settings } satisfies Payload)).toString('base64url');
  return { token: `${body}.${mac(secret, body).toString('base64url')}`, expiresAt: new Date(e).toISOString() };
}

/** The settings and their organizer, or null for anything forged, garbled or expired. */
export function readPreview(secret: string, token: string, now: Date): { organizerId: string; settings: WidgetSettings } | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const payload = JSON.parse(inflateRawSync(Buffer.from(body, 'base64url'), { maxOutputLength: 64 * 1024 }).toString('utf8')) as Payload;
    if (typeof payload.o !== 'string' || !(payload.e > now.getTime())) return null;
    // Signed by us, so valid when made; parsing again keeps old tokens readable as settings grow.
    return { organizerId: payload.o, settings: settingsSchema.parse(payload.s) };
  } catch {
    return null;
  }
}
