// Process start: configuration, database, the API server and (by default) the demo site.
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { createApp } from './app.ts';
import { ConfigError, demoOrigins as demoOriginsOf, loadConfig, type Config } from './platform/config.ts';
import { migrate, openDatabase } from './platform/db/database.ts';
import { databaseLabel } from './platform/db/engine.ts';
import { createDemoApp } from './demo/site.ts';
import { createViewCounter } from './stats/view-counter.ts';
import { createRequestGate } from './platform/jobs/give-way.ts';
import { startMailCatcher, type MailCatcher } from './platform/mail/catcher.ts';
import { configuredMailTransport, linkSecret, startRecovery } from './runtime.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD, seedDemo } from './demo/seed.ts';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = configOrExit();
const db = openDatabase(config.databasePath, { poolSize: config.databasePoolSize });
await migrate(db);

const demoOrigins = demoOriginsOf(config);
if (config.seedDemo && (await seedDemo(db, new Date(), demoOrigins, { payments: config.demoPort !== null ? 'demo' : null }))) {
  console.log(`Seeded the demo theatre into ${databaseLabel(config.databasePath)}`);
}

// Without SMTP_URL, mail goes to the built-in catcher and shows up on /mail.
// It opens with a token (MAIL_CATCHER_TOKEN, else a new one each start), printed below.
let mailCatcher: MailCatcher | null = null;
const mailToken = config.mailCatcherToken ?? randomBytes(18).toString('base64url');
if (config.smtpUrl === null) {
  mailCatcher = await startMailCatcher({ port: config.mailCatcherPort, host: '127.0.0.1' });
}

// The console's test reminders go the same way as real ones.
const mailTransport = configuredMailTransport(config);
// With the recovery loop in this process, requests in flight go before its next unit of work.
const gate = config.workerEnabled ? createRequestGate() : undefined;
const views = createViewCounter(db);
const app = createApp({
  db,
  views,
  gate,
  mailTransport,
  mailFrom: config.mailFrom,
  extraOrigins: demoOrigins,
  mailCatcher: mailCatcher ? { catcher: mailCatcher, token: mailToken } : undefined,
  secret: await linkSecret(db),
  logRequests: config.logRequests,
  consoleOrigin: new URL(config.publicBaseUrl).origin,
  publicBaseUrl: config.publicBaseUrl,
  demoPayments: config.demoPort !== null,
  yookassa: { apiUrl: config.yookassaApiUrl },
  grab: config.grab,
  allowLoopbackWebhooks: config.allowLoopbackWebhooks,
});
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
console.log(`Encore API and widget  ${config.publicBaseUrl}   (widget: ${config.publicBaseUrl}/widget.js)`);
if (config.seedDemo) console.log(`Console: ${config.publicBaseUrl}/console (${DEMO_ORGANIZER_EMAIL} / ${DEMO_PASSWORD})`);
if (mailCatcher) {
  console.log(
    `Caught mail            ${config.publicBaseUrl}/mail?token=${mailToken}   (SMTP catcher on port ${mailCatcher.port}; set SMTP_URL to send real mail)`,
  );
}

// The recovery loop runs here unless separate workers (server/worker.ts) do it.
const recovery = config.workerEnabled ? await startRecovery({ db, config, extraOrigins: demoOrigins, giveWay: gate?.giveWay }) : null;
if (!config.workerEnabled) console.log('Recovery worker        off (WORKER=off): run server/worker.ts to send reminders');

let demoServer: ReturnType<typeof serve> | null = null;
if (config.demoPort !== null) {
  const demo = createDemoApp({ apiBase: config.publicBaseUrl });
  demoServer = serve({ fetch: demo.fetch, port: config.demoPort, hostname: config.host });
  console.log(`Demo theatre site      http://localhost:${config.demoPort}/   (button mode: /tickets.html)`);
}

function shutdown() {
  server.close();
  demoServer?.close();
  void (recovery?.stop() ?? Promise.resolve())
    .then(() => views.close())
    .then(() => Promise.all([mailTransport.close(), mailCatcher?.close(), db.destroy()]))
    .finally(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
