// Once per run on PostgreSQL: the template database every test's database is copied from,
// migrated once; at the end, no test database is left behind.
import { admin, makeTemplate, postgresAdminUrl } from './databases.ts';

async function dropTestDatabases() {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'encore\\_t\\_%'`);
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
  });
}

// Each vitest project (unit, api, browser) runs this; the count keeps it to one template made
// before the first project's tests and one clean-up after the last project's.
const runs = globalThis as { encoreGlobalSetups?: number };

export async function setup() {
  if (!postgresAdminUrl) return;
  runs.encoreGlobalSetups = (runs.encoreGlobalSetups ?? 0) + 1;
  if (runs.encoreGlobalSetups > 1) return;
  await dropTestDatabases();
  await makeTemplate();
}

export async function teardown() {
  if (!postgresAdminUrl) return;
  runs.encoreGlobalSetups = (runs.encoreGlobalSetups ?? 1) - 1;
  if (runs.encoreGlobalSetups === 0) await dropTestDatabases();
}
