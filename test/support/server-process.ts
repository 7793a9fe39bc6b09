// One API server process on an existing database file, for tests that need several processes
// sharing it (as several instances of a deployment would). Prints "ready <port>" when listening.
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import { openDatabase, unguardedWrites } from '../../server/db/database.ts';

const db = openDatabase(process.env.DATABASE_PATH!);
const app = createApp({
  db,
  tx: process.env.UNGUARDED_WRITES === '1' ? unguardedWrites(db) : undefined,
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`ready ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
