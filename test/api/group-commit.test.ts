// Write transactions asked for together share one commit; each still stands or falls alone.
// Group commit is SQLite's (BEGIN IMMEDIATE … savepoints … COMMIT); on PostgreSQL each write
// transaction is its own, and only the rehearsal (used by the console's preview) is tested.
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { immediateTransactions, migrate, openDatabase, writeTransactions } from '../../server/platform/db/database.ts';
import { testEngine } from '../support/databases.ts';
import { freshDatabase } from '../support/world.ts';

test.skipIf(testEngine === 'postgres')('transactions queued together commit once; a failing one is rolled back alone; order holds', async () => {
  const { path, db: setup } = await freshDatabase();
  await setup.destroy();
  const statements: string[] = [];
  const db = openDatabase(path, { onQuery: (text) => statements.push(text) });
  await migrate(db);
  const tx = immediateTransactions(db);
  await sql`create table t (n integer primary key)`.execute(db);
  statements.length = 0;

  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      tx(async (trx) => {
        await sql`insert into t (n) values (${i})`.execute(trx);
        // Each sees the ones before it, as separate transactions run in order would.
        const { rows } = await sql<{ c: number }>`select count(*) as c from t`.execute(trx);
        if (i === 4) throw new Error('job 4 fails');
        return rows[0]!.c;
      }),
    ),
  );
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([1, 2, 3, 4, 'failed', 5, 6, 7, 8, 9]);
  const { rows } = await sql<{ n: number }>`select n from t order by n`.execute(db);
  expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
  expect(statements.filter((s) => s === 'commit')).toHaveLength(1);

  // One asked for later runs in a transaction of its own.
  statements.length = 0;
  expect(await tx(async (trx) => (await sql<{ c: number }>`select count(*) as c from t`.execute(trx)).rows[0]!.c)).toBe(9);
  expect(statements.filter((s) => s === 'commit')).toHaveLength(1);
  await db.destroy();
});

test('a rehearsal sees what it writes and the jobs before it, returns its answer, and leaves nothing', async () => {
  const { db } = await freshDatabase();
  const tx = writeTransactions(db);
  await sql`create table t (n integer primary key)`.execute(db);
  const count = async (trx: typeof db) => Number((await sql<{ c: number }>`select count(*) as c from t`.execute(trx)).rows[0]!.c);
  const jobs = [
    () =>
      tx(async (trx) => {
        await sql`insert into t (n) values (1)`.execute(trx);
        return count(trx);
      }),
    () =>
      tx.rehearse!(async (trx) => {
        await sql`insert into t (n) values (2), (3)`.execute(trx);
        return count(trx);
      }),
    () =>
      tx(async (trx) => {
        await sql`insert into t (n) values (4)`.execute(trx);
        return count(trx);
      }),
  ];
  // Together on SQLite (one batch), one after another on PostgreSQL (separate transactions would
  // not see each other's uncommitted rows).
  const [before, rehearsed, after] = testEngine === 'sqlite' ? await Promise.all(jobs.map((j) => j())) : [await jobs[0]!(), await jobs[1]!(), await jobs[2]!()];
  expect([before, rehearsed, after]).toEqual([1, 3, 2]);
  const { rows } = await sql<{ n: number }>`select n from t order by n`.execute(db);
  expect(rows.map((r) => r.n)).toEqual([1, 4]);
  await db.destroy();
});
