// Signing in and out of the console, and who is signed in.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { signInInput } from '../../contracts/console.ts';
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
  /** Reverse proxies of ours in front (TRUST_PROXY), to find the client's address. */
  trustProxy: number;
}

const cookieOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'Lax', path: '/', secure }) as const;

/** POST /session needs no credentials; it is mounted before the auth middleware. */
export function signInApi({ store, throttle, consoleOrigin, trustProxy }: SessionDeps) {
  const app = new Hono<ConsoleEnv>();
  const secure = consoleOrigin?.startsWith('https:') ?? false;

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
