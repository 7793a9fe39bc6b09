// Browser tests run the real thing: the API and the demo site on their own loopback ports
// (two origins, as on a real theatre's site), the built widget, and Debian's Chromium.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/platform/db/database.ts';
import type { MailTransport } from '../../server/platform/mail/transport.ts';
import { createDemoApp } from '../../server/demo/site.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.ts';
import { freshDatabase } from './world.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
}

function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolve());
  });
}

export interface Site {
  db: Db;
  demoOrigins: string[];
  apiBase: string;
  demoBase: string;
  stopApi: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface SiteOptions {
  now?: () => Date;
  secret?: string;
  mailTransport?: MailTransport;
  mailFrom?: string;
  /** 'demo': the demo theatre takes payment on the built-in demo page (default: box office). */
  payments?: 'demo';
}

/** API + demo site on a fresh, seeded database. */
export async function startSite(options: SiteOptions = {}): Promise<Site> {
  const { db } = await freshDatabase();
  // The demo site and the API each need the other's address: both listen first (on ports the
  // system picks, kept — a port closed and listened on again can be taken in between) and get
  // their apps once both are known.
  let demoApp: ReturnType<typeof createDemoApp> | undefined;
  const demoSlot = await listen((request) => (demoApp ? demoApp.fetch(request) : new Response('starting', { status: 503 })));
  const demoPort = demoSlot.port;
  const demoOrigins = [`http://127.0.0.1:${demoPort}`];
  await seedDemo(db, options.now?.() ?? new Date(), demoOrigins, { payments: options.payments ?? null });
  // The app learns its own address (payment pages send the buyer back through it) once listening.
  let app: ReturnType<typeof createApp> | undefined;
  const api = await listen((request) => app!.fetch(request));
  const apiBase = `http://127.0.0.1:${api.port}`;
  app = createApp({
    db,
    now: options.now,
    extraOrigins: demoOrigins,
    secret: options.secret,
    mailTransport: options.mailTransport,
    mailFrom: options.mailFrom,
    demoPayments: options.payments === 'demo',
    publicBaseUrl: apiBase,
  });
  demoApp = createDemoApp({ apiBase });
  const demo = demoSlot.server;
  let apiUp = true;
  const stopApi = async () => {
    if (apiUp) await close(api.server);
    apiUp = false;
  };
  return {
    db,
    demoOrigins,
    apiBase,
    demoBase: `http://127.0.0.1:${demoPort}`,
    stopApi,
    stop: async () => {
      await stopApi();
      await close(demo);
      await db.destroy();
    },
  };
}

export interface BrowserWorld {
  readonly browser: Browser;
  readonly site: Site;
  /** A new context (closed with the browser) and its page, with the page's errors collected. */
  open(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
}

/**
 * The browser tests' one fixture: a Chromium and a site (API + demo site on a fresh, seeded
 * database) for a test file, started before its first test and stopped after its last. Options
 * may be a function, called when the file's tests start (e.g. to use a mail catcher started by
 * an earlier beforeAll). Hooks the file registers after this call run after the world is up
 * (before) and after it is stopped (after).
 */
export function browserWorld(options: SiteOptions | (() => SiteOptions) = {}, chromiumArgs: string[] = []): BrowserWorld {
  let browser: Browser | undefined;
  let site: Site | undefined;
  beforeAll(async () => {
    [browser, site] = await Promise.all([launchBrowser(chromiumArgs), startSite(typeof options === 'function' ? options() : options)]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (!value) throw new Error('browserWorld: used outside the tests of its file');
    return value;
  };
  return {
    get browser() {
      return started(browser);
    },
    get site() {
      return started(site);
    },
    async open(contextOptions = { viewport: { width: 1280, height: 900 }, locale: 'ru-RU' }) {
      const context = await started(browser).newContext(contextOptions);
      const page = await context.newPage();
      return { context, page, errors: watchPageErrors(page) };
    },
  };
}

/** Fills and sends the console's sign-in form on the page at `path` (default the demo organizer); the caller waits for what comes next. */
export async function signIn(page: Page, site: Site, options: { path?: string; email?: string; password?: string } = {}): Promise<void> {
  await page.goto(`${site.apiBase}${options.path ?? '/console'}`);
  await page.getByTestId('signin-email').fill(options.email ?? DEMO_ORGANIZER_EMAIL);
  await page.getByTestId('signin-password').fill(options.password ?? DEMO_PASSWORD);
  await page.getByTestId('signin-submit').click();
}

/** Fails the test on any error the widget throws into the host page. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/**
 * Polls `probe` until it gives something truthy (e.g. a row the widget's request wrote). The
 * deadline only turns a hang into a readable failure, so it is as patient as Playwright's own
 * waits (30 s): on a loaded machine a debounced request can take seconds to land. A probe that
 * throws fails at once, unless the error matches `retryOn` (e.g. a frame reloading under it).
 */
export async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string, options: { retryOn?: RegExp } = {}): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const value = await probe().catch((error: unknown) => {
      if (options.retryOn?.test(String(error))) return null;
      throw error;
    });
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the page has drawn two more frames: layout, ResizeObserver callbacks and what they changed have run. */
export function settled(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}
