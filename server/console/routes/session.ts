// Signing in and out of the console, and who is signed in.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { changePasswordInput, passwordResetConfirmInput, passwordResetInput, signInInput } from '../../contracts/console.ts';
import { DomainError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import type { MailTransport } from '../../platform/mail/transport.ts';
import { changePassword, endSessions, requestPasswordReset, resetPassword } from '../password-changes.ts';
import { describeSession, SESSION_DAYS, signIn, signOut } from '../auth.ts';
import type { LoginThrottle } from '../login-throttle.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { clientAddress } from '../../platform/http/client-address.ts';
import { readJson } from '../../platform/http/errors.ts';
import { checkOrigin, SESSION_COOKIE } from './auth.ts';

export interface SessionDeps {
  store: Store;
  throttle: LoginThrottle;
  consoleOrigin: string | undefined;
  /** Sends password reset links; without it asking for one is 503 MAIL_UNAVAILABLE. */
  mail?: { transport: MailTransport; from: string };
  publicBaseUrl: string;
  /** Reverse proxies of ours in front (TRUST_PROXY), to find the client's address. */
  trustProxy: number;
}

const cookieOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'Lax', path: '/', secure }) as const;

/** POST /session needs no credentials; it is mounted before the auth middleware. */
export function signInApi({ store, throttle, consoleOrigin, trustProxy, mail, publicBaseUrl }: SessionDeps) {
  const app = new Hono<ConsoleEnv>();
  const secure = consoleOrigin?.startsWith('https:') ?? false;
  // Reset mail is sent to the account's own address, but must not become a way to flood it.
  const resetsPerEmail = rateLimit(store, { max: 5, windowMs: 60 * 60_000, what: 'password reset emails' });
  const resetsPerAddress = rateLimit(store, { max: 20, windowMs: 60 * 60_000, what: 'password reset requests' });

  /** Always 202, whether or not the address has an account. */
  app.post('/password-reset', async (c) => {
    checkOrigin(c, consoleOrigin);
    const { email } = await readJson(c, passwordResetInput);
    if (!mail) throw new DomainError('MAIL_UNAVAILABLE', 'This server has no mail transport configured, so it cannot send a reset link');
    const now = store.now();
    await resetsPerAddress.take(clientAddress(c, trustProxy), now);
    await resetsPerEmail.take(email, now);
    await requestPasswordReset(store.db, email, now, { ...mail, publicBaseUrl });
    return c.body(null, 202);
  });

  app.post('/password-reset/confirm', async (c) => {
    checkOrigin(c, consoleOrigin);
    const input = await readJson(c, passwordResetConfirmInput);
    await store.tx((trx) => resetPassword(trx, input, store.now()));
    return c.body(null, 204);
  });

  app.post('/session', async (c) => {
    // A page elsewhere must not sign a visitor into an account of its choosing.
    checkOrigin(c, consoleOrigin);
    const input = await readJson(c, signInInput);
    const { cookieValue, session } = await signIn(store.db, throttle, input, store.now(), clientAddress(c, trustProxy));
    setCookie(c, SESSION_COOKIE, cookieValue, { ...cookieOptions(secure), maxAge: SESSION_DAYS * 86_400 });
    return c.json(session);
  });

  return app;
}

export function sessionApi({ store, consoleOrigin }: SessionDeps) {
  const app = new Hono<ConsoleEnv>();
  const secure = consoleOrigin?.startsWith('https:') ?? false;

  app.delete('/session', async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie && c.var.userId !== null) await signOut(store.db, cookie, store.now());
    deleteCookie(c, SESSION_COOKIE, cookieOptions(secure));
    return c.body(null, 204);
  });

  /** Needs the current password; every other session of the person ends. */
  app.post('/me/password', async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (c.var.userId === null || !cookie) throw new DomainError('FORBIDDEN', 'An API key has no password');
    const input = await readJson(c, changePasswordInput);
    await store.tx((trx) => changePassword(trx, c.var.userId!, input, cookie));
    return c.body(null, 204);
  });

  /** Every session of the person ends, this one too. */
  app.delete('/sessions', async (c) => {
    if (c.var.userId === null) throw new DomainError('FORBIDDEN', 'An API key has no sessions');
    await endSessions(store.db, c.var.userId);
    deleteCookie(c, SESSION_COOKIE, cookieOptions(secure));
    return c.body(null, 204);
  });

  app.get('/me', async (c) => {
    const session = await describeSession(store.db, {
      organizerId: c.var.organizerId,
      userId: c.var.userId,
      csrfToken: c.var.csrfToken,
    });
    return c.json(session);
  });

  return app;
}
