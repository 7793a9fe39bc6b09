// Process start: configuration, database, the API server and (by default) the demo site.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrate, openDatabase } from './db/database.ts';
import { createDemoApp } from './demo-site.ts';
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

const app = createApp({ db, extraOrigins: demoOrigins });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
console.log(`Encore API and widget  ${config.publicBaseUrl}   (widget: ${config.publicBaseUrl}/widget.js)`);

let demoServer: ReturnType<typeof serve> | null = null;
if (config.demoPort !== null) {
  const demo = createDemoApp({ apiBase: config.publicBaseUrl });
  demoServer = serve({ fetch: demo.fetch, port: config.demoPort, hostname: config.host });
  console.log(`Demo theatre site      http://localhost:${config.demoPort}/   (button mode: /tickets.html)`);
}

function shutdown() {
  server.close();
  demoServer?.close();
  void db.destroy().finally(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
