// The organizer console API, /api/console/v1. Everything but signing in needs a session cookie
// or an API key, and every handler scopes its queries by c.var.organizerId.
import { Hono } from 'hono';
import { loginThrottle } from './login-throttle.ts';
import type { Store } from '../store.ts';
import type { MailTransport } from '../platform/mail/transport.ts';
import type { RefusedOrigins } from '../sales/refused-origins.ts';
import type { ViewCounter } from '../stats/view-counter.ts';
import type { ConsoleEnv } from './env.ts';
import { consoleStatsApi } from '../stats/routes.ts';
import { consoleWebhooksApi } from '../webhooks/console-routes.ts';
import { consoleApiKeysApi } from './routes/api-keys.ts';
import { consoleAuth } from './routes/auth.ts';
import { consoleEventsApi } from './routes/events.ts';
import { consoleOrdersApi } from './routes/orders.ts';
import { consolePerformancesApi } from './routes/performances.ts';
import { consolePreviewApi } from './routes/preview.ts';
import { consoleRoles } from './routes/roles.ts';
import { consoleRecoveryApi } from './routes/recovery.ts';
import { consoleRefusedOriginsApi } from './routes/refused-origins.ts';
import { sessionApi, signInApi } from './routes/session.ts';
import { consoleSettingsApi } from './routes/settings.ts';
import { consoleSnippetApi } from './routes/snippet.ts';
import { consoleTicketTypesApi } from './routes/ticket-types.ts';
import { consoleUsersApi } from './routes/users.ts';
import { keyScopes } from './routes/scopes.ts';
import { consolePromoCodesApi } from './promo-codes.ts';
import { consoleCheckInApi } from '../checkin/routes.ts';

export interface ConsoleDeps {
  store: Store;
  /** Where the console is served; unsafe cookie requests must come from it. Default: the request's own origin. */
  consoleOrigin: string | undefined;
  /** Where the widget is served from, for the embed snippet. */
  publicBaseUrl: string;
  /** Signs widget preview tokens. */
  secret: string;
  /** For test sends of reminder emails; without it they are 503 MAIL_UNAVAILABLE. */
  mail?: { transport: MailTransport; from: string };
  /** Widget views counted in memory: the stats flush them before reading. */
  views?: ViewCounter;
  /** Sites refused for the organizer's carts, for the snippet page's hint. */
  refusedOrigins?: RefusedOrigins;
  /** WEBHOOKS_ALLOW_LOOPBACK: webhook endpoints on this machine accepted (development). */
  allowLoopbackWebhooks?: boolean;
  /** TRUST_PROXY: reverse proxies of ours in front, to find a client's address (the sign-in throttle). */
  trustProxy?: number;
}

export function consoleApi({ store, consoleOrigin, publicBaseUrl, secret, mail, views, refusedOrigins, allowLoopbackWebhooks, trustProxy = 0 }: ConsoleDeps) {
  const session = { store, consoleOrigin, throttle: loginThrottle(store), trustProxy, mail, publicBaseUrl };
  const app = new Hono<ConsoleEnv>();
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  // Registered before the auth middleware: signing in is the one call without credentials.
  app.route('/', signInApi(session));
  app.use('*', consoleAuth(store, consoleOrigin));
  app.use('*', consoleRoles());
  app.use('*', keyScopes());
  app.route('/', sessionApi(session));
  app.route('/events', consoleEventsApi(store));
  app.route('/', consoleOrdersApi(store));
  app.route('/', consolePerformancesApi(store));
  app.route('/', consoleTicketTypesApi(store));
  app.route('/', consoleCheckInApi(store));
  app.route('/settings', consoleSettingsApi(store));
  app.route('/snippet', consoleSnippetApi(store, publicBaseUrl));
  app.route('/promo-codes', consolePromoCodesApi(store));
  app.route('/users', consoleUsersApi(store));
  app.route('/api-keys', consoleApiKeysApi(store));
  app.route('/webhooks', consoleWebhooksApi(store, { allowLoopbackWebhooks }));
  app.route('/stats', consoleStatsApi(store, views));
  app.route('/recovery', consoleRecoveryApi({ store, publicBaseUrl, mail }));
  app.route('/preview', consolePreviewApi(store, secret));
  if (refusedOrigins) app.route('/refused-origins', consoleRefusedOriginsApi(refusedOrigins));
  return app;
}
