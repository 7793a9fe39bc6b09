// Who is calling the console API: an API key (`Authorization: Bearer ek_…`) or a session cookie.
// Cookies are sent by browsers on their own, so unsafe requests with one must also prove they
// come from the console page: the session's CSRF token in a header and, when the browser names
// one, the console's own Origin. API keys are never sent ambiently, so they need neither.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'node:crypto';
import { apiKeyPrincipal, sessionPrincipal } from '../auth.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { bearerToken } from '../../platform/http/errors.ts';

export const SESSION_COOKIE = 'encore_session';
const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A present Origin header must be the console's; absent is fine (same-origin GETs, non-browsers). */
export function checkOrigin(c: Context, consoleOrigin: string | undefined) {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== (consoleOrigin ?? new URL(c.req.url).origin)) {
    throw new DomainError('CSRF', `Requests from ${origin} are not accepted; use the console at its own address`);
  }
}

export function consoleAuth(store: Store, consoleOrigin: string | undefined): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const now = store.now();
    if (c.req.header('authorization') !== undefined) {
      const key = bearerToken(c);
      const principal = key?.startsWith('ek_') ? await apiKeyPrincipal(store.db, key, now) : null;
      if (!principal) throw new DomainError('UNAUTHORIZED', 'The API key is not valid or was revoked');
      c.set('organizerId', principal.organizerId);
      c.set('userId', null);
      c.set('csrfToken', null);
      c.set('role', principal.role);
      c.set('actor', principal.actor);
      c.set('scopes', principal.scopes ?? []);
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const principal = cookie ? await sessionPrincipal(store.db, cookie, now) : null;
    if (!principal) throw new DomainError('UNAUTHORIZED', 'Sign in to the console first');
    if (UNSAFE.has(c.req.method)) {
      checkOrigin(c, consoleOrigin);
      const token = c.req.header('x-csrf-token');
      if (!token || !sameText(token, principal.csrfToken!)) {
        throw new DomainError('CSRF', 'Missing or wrong X-CSRF-Token header');
      }
    }
    c.set('organizerId', principal.organizerId);
    c.set('userId', principal.userId);
    c.set('csrfToken', principal.csrfToken);
    c.set('role', principal.role);
    c.set('actor', principal.actor);
    c.set('scopes', null);
    return next();
  };
}
