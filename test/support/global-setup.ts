// Once per run on PostgreSQL: the template database every test's database is copied from,
// migrated once; at the end, no test database is left behind.
import { admin, makeTemplate, postgresAdminUrl } from './databases.ts';

async function dropTestDatabases() {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'encore\\_t\\_%'`);
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
  });
}

export async function setup() {
  if (!postgresAdminUrl) return;
  await dropTestDatabases();
  await makeTemplate();
}

export async function teardown() {
  if (postgresAdminUrl) await dropTestDatabases();
}
