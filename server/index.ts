// Process start: configuration, database, the API server and (by default) the demo site.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrate, openDatabase } from './db/database.ts';
import { createDemoApp } from './demo-site.ts';
import { startMailCatcher, type MailCatcher } from './mail/catcher.ts';
import { seedDemo } from './seed/demo.ts';

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
const db = openDatabase(config.databasePath);
await migrate(db);

const demoOrigins = config.demoPort === null ? [] : [`http://localhost:${config.demoPort}`, `http://127.0.0.1:${config.demoPort}`];
if (config.seedDemo && (await seedDemo(db, new Date(), demoOrigins))) {
  console.log(`Seeded the demo theatre into ${config.databasePath}`);
}

// Without SMTP_URL, mail goes to the built-in catcher and shows up on /mail.
let mailCatcher: MailCatcher | null = null;
if (config.smtpUrl === null) {
  mailCatcher = await startMailCatcher({ port: config.mailCatcherPort, host: config.host });
}

const app = createApp({ db, extraOrigins: demoOrigins, mailCatcher: mailCatcher ?? undefined });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
console.log(`Encore API and widget  ${config.publicBaseUrl}   (widget: ${config.publicBaseUrl}/widget.js)`);
if (mailCatcher) {
  console.log(`Caught mail            ${config.publicBaseUrl}/mail   (SMTP catcher on port ${mailCatcher.port}; set SMTP_URL to send real mail)`);
}

let demoServer: ReturnType<typeof serve> | null = null;
if (config.demoPort !== null) {
  const demo = createDemoApp({ apiBase: config.publicBaseUrl });
  demoServer = serve({ fetch: demo.fetch, port: config.demoPort, hostname: config.host });
  console.log(`Demo theatre site      http://localhost:${config.demoPort}/   (button mode: /tickets.html)`);
}

function shutdown() {
  server.close();
  demoServer?.close();
  void Promise.all([mailCatcher?.close(), db.destroy()]).finally(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
