// One API server process on an existing database file, for tests that need several processes
// sharing it (as several instances of a deployment would). Prints "ready <port>" when listening.
//
// SLOW_QUERIES=1 makes every query give way to other requests before its result is used, as a
// networked database would (better-sqlite3 answers synchronously, which by luck hides races
// inside one process). The concurrency test runs both the guarded and the unguarded rush this
// way, so the write guard is the only difference between them.
import { serve } from '@hono/node-server';
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely';
import { createApp } from '../../server/app.ts';
import { openDatabase, unguardedWrites } from '../../server/db/database.ts';

class YieldAfterEveryQuery implements KyselyPlugin {
  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise((resolve) => setImmediate(resolve));
    return args.result;
  }
}

const opened = openDatabase(process.env.DATABASE_PATH!);
const db = process.env.SLOW_QUERIES === '1' ? opened.withPlugin(new YieldAfterEveryQuery()) : opened;
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
