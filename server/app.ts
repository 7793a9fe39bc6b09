// Builds the HTTP app from its dependencies. No globals: every test builds its own.
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { requestLog } from './platform/http/request-log.ts';
import { cartsApi } from './sales/carts-routes.ts';
import type { GrabGuard } from './platform/config.ts';
import { consoleApi } from './console/routes.ts';
import { allowedOriginsCache, cartCors } from './sales/cors.ts';
import { declaredBodyLimit, notFound, onError } from './platform/http/errors.ts';
import { eventsApi } from './sales/events-routes.ts';
import { mailCatcherApi } from './platform/mail/catcher-routes.ts';
import { resumeApi, unsubscribePages } from './recovery/routes.ts';
import { widgetAsset } from './sales/widget-asset.ts';
import { writeTransactions, type Db, type WriteTransaction } from './platform/db/database.ts';
import type { Store } from './store.ts';
import { createBootstrapCache } from './sales/bootstrap-cache.ts';
import { createRefusedOrigins } from './sales/refused-origins.ts';
import { createViewCounter, type ViewCounter } from './stats/view-counter.ts';
import type { RequestGate } from './platform/jobs/give-way.ts';
import type { MailCatcher } from './platform/mail/catcher.ts';
import type { MailTransport } from './platform/mail/transport.ts';
import { consoleAssets } from './console/assets.ts';
import { consolePreviewPage } from './console/preview-page.ts';
import { cartOrderApi, paymentPages } from './payments/routes.ts';
import { createPayments } from './payments/registry.ts';
import type { StripeOptions } from './payments/stripe.ts';
import { orderPages } from './tickets/order-page.ts';
import { createWriteHealth } from './platform/db/health.ts';

export interface AppDeps {
  db: Db;
  now?: () => Date;
  /** Origins allowed for every organizer besides their own list (the demo site). */
  extraOrigins?: string[];
  widgetBundlePath?: string;
  /** Only the concurrency test's control replaces this. */
  tx?: WriteTransaction;
  log?: (line: string) => void;
  /** The built-in mail catcher, when no SMTP server is configured: its pages go on /mail, opened with the token. */
  mailCatcher?: { catcher: MailCatcher; token: string };
  /** Signs reminder links (resume, unsubscribe). Production reads it from the database; tests may omit it. */
  secret?: string;
  /** One line per request on stdout (LOG_LEVEL=info). */
  logRequests?: boolean;
  /** The console's origin (from PUBLIC_BASE_URL): cookie-authenticated changes must come from it; https makes the session cookie Secure. */
  consoleOrigin?: string;
  /** PUBLIC_BASE_URL, for the embed snippet's script tag. */
  publicBaseUrl?: string;
  /** Sends the console's test reminder emails (the recovery runtime's transport); without it they are 503. */
  mailTransport?: MailTransport;
  /** The From of test emails; default as MAIL_FROM's. */
  mailFrom?: string;
  /** The built console (dist/console); without a build /console answers 503. */
  consoleDir?: string;
  /** Counts requests in flight so a recovery loop in the same process can let them go first. */
  gate?: RequestGate;
  /** Widget view counts; index.ts passes one so it can flush it on shutdown. */
  views?: ViewCounter;
  /**
   * No free seat grabbing: Origin or API key for new carts, per-client limits (sales/client.ts).
   * index.ts passes the configured ones; without it (tests and benches making many carts from
   * one address) nothing is limited.
   */
  grab?: GrabGuard;
  /** WEBHOOKS_ALLOW_LOOPBACK: webhook endpoints on this machine accepted (development). */
  allowLoopbackWebhooks?: boolean;
  /** TRUST_PROXY for the console's sign-in throttle when `grab` is not given (tests). */
  trustProxy?: number;
  /** Offer the built-in demo payment provider (npm start with the demo site; never in production). */
  demoPayments?: boolean;
  /** YooKassa's API (YOOKASSA_API_URL; tests point it at a local server) and how long to wait for it. */
  yookassa?: { apiUrl?: string; timeoutMs?: number };
  /** Stripe's API host (tests point it at a local server) and how long to wait for it. */
  stripe?: StripeOptions;
}

export function createApp(deps: AppDeps) {
  const extraOrigins = deps.extraOrigins ?? [];
  const secret = deps.secret ?? randomBytes(32).toString('base64url');
  const publicBaseUrl = deps.publicBaseUrl ?? deps.consoleOrigin ?? 'http://localhost:3000';
  const payments = createPayments({
    secret,
    baseUrl: publicBaseUrl,
    demo: deps.demoPayments,
    yookassa: deps.yookassa,
    stripe: deps.stripe,
    log: deps.log,
  });
  const now = deps.now ?? (() => new Date());
  const writes = createWriteHealth(now);
  const store: Store = { db: deps.db, tx: writes.watch(deps.tx ?? writeTransactions(deps.db)), now, payments };
  const views = deps.views ?? createViewCounter(deps.db, { log: deps.log, failed: writes.failed });
  const bootstraps = createBootstrapCache(store.now);
  const origins = allowedOriginsCache(deps.db, extraOrigins);
  // Sites refused for an organizer, shown in their console.
  const refusals = { log: createRefusedOrigins(deps.db, { log: deps.log }), now: store.now };
  const app = new Hono();

  app.onError(onError(deps.log ?? ((line) => console.error(line))));
  if (deps.gate) app.use('*', deps.gate.middleware);
  if (deps.logRequests) app.use('*', requestLog());
  // The widget's countdown corrects the visitor's clock by the server's; the server's clock is
  // the injected one, so tests that move time see a consistent countdown too.
  // Set before the handler: a header added to a finished response makes @hono/node-server build
  // a full web Response instead of writing the body directly (a third of a bootstrap's cost).
  app.use('*', (c, next) => {
    c.header('Date', store.now().toUTCString());
    return next();
  });
  app.notFound(notFound);
  // A declared length over the limit is refused here; readJson stops reading at the limit.
  app.use('/api/*', declaredBodyLimit);
  app.use('/api/v1/carts/*', cartCors(origins, refusals));
  app.use('/api/v1/carts', cartCors(origins, refusals));
  app.use('/api/v1/resume', cartCors(origins, refusals));
  // A console change may concern any of the organizer's events, settings or sites.
  app.use('/api/console/*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET') {
      bootstraps.clear();
      origins.clear();
    }
  });

  app.route('/api/v1/events', eventsApi(store, secret, bootstraps, views, extraOrigins, refusals));
  app.route('/api/v1/carts', cartOrderApi(store, payments));
  app.route('/api/v1/carts', cartsApi(store, extraOrigins, bootstraps, secret, deps.grab ?? null));
  app.route('/api/v1/resume', resumeApi(store, secret, extraOrigins, bootstraps));
  app.route(
    '/api/console/v1',
    consoleApi({
      store,
      consoleOrigin: deps.consoleOrigin,
      publicBaseUrl,
      secret,
      views,
      refusedOrigins: refusals.log,
      allowLoopbackWebhooks: deps.allowLoopbackWebhooks,
      trustProxy: deps.trustProxy ?? deps.grab?.trustProxy ?? 0,
      mail: deps.mailTransport && { transport: deps.mailTransport, from: deps.mailFrom ?? '"Encore" <tickets@localhost>' },
    }),
  );
  app.route('/console/preview', consolePreviewPage());
  app.route('/console', consoleAssets(deps.consoleDir ?? 'dist/console'));
  app.route('/u', unsubscribePages(store, secret));
  // A payment's outcome frees or takes seats: availability shown must follow at once.
  app.use('/payments/*', async (c, next) => {
    await next();
    if (c.req.method === 'POST') bootstraps.clear();
  });
  app.route('/payments', paymentPages(store, payments, secret));
  app.route('/o', orderPages(store, publicBaseUrl));
  // 503 while writes fail (a locked or full database): a load balancer or monitor sees it.
  app.get('/health', (c) => {
    const failing = writes.report();
    return failing ? c.json({ ok: false, writes: failing }, 503) : c.json({ ok: true });
  });
  if (deps.mailCatcher) app.route('/mail', mailCatcherApi(deps.mailCatcher.catcher, deps.mailCatcher.token));
  app.route('/', widgetAsset(deps.widgetBundlePath ?? 'dist/widget.js'));
  return app;
}
