// A crash mid-batch loses nothing. A worker process sends 200 due rows through a real
// SMTP server and is SIGKILLed again and again at random points of a batch, then restarted.
// Afterwards every row's Message-ID has arrived at least once, and duplicates number at most
// one per kill (only the message in flight when the process died can go out twice).
// Sends are ~110 ms each (smtp-server holds its greeting 100 ms to catch early talkers; the
// transport opens a connection per message), so 200 rows keep the test near 30 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { newId } from '../server/domain/ids.ts';
import { startTestSmtp, type TestSmtp } from './support/smtp.ts';
import { freshDatabase, makeEvent } from './support/world.ts';

const ROWS = 200;
const KILLS = 6;
const entry = fileURLToPath(new URL('./support/outbox-worker-process.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let smtp: TestSmtp;
let child: ChildProcess | null = null;
afterAll(async () => {
  child?.kill('SIGKILL');
  await smtp?.close();
});

function startWorker(path: string): ChildProcess {
  const c = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, DATABASE_PATH: path, SMTP_URL: smtp.url, LEASE_SECONDS: '2', BATCH_SIZE: '10', INTERVAL_MS: '20' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return c;
}

function exited(c: ChildProcess) {
  return new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
}

test(`SIGKILLing the worker ${KILLS} times mid-batch loses no reminder and duplicates at most one per kill`, async () => {
  const started = Date.now();
  smtp = await startTestSmtp({ latencyMs: 5 });
  const { db, path } = await freshDatabase();
  const { organizerId } = await makeEvent(db, new Date());
  const due = new Date(Date.now() - 1000).toISOString();
  const ids = Array.from({ length: ROWS }, () => newId('out'));
  for (let i = 0; i < ROWS; i += 100) {
    await db
      .insertInto('outbox')
      .values(
        ids.slice(i, i + 100).map((id) => ({
          id, kind: 'reminder' as const, dedupe_key: `crash:${id}`, organizer_id: organizerId, series_id: null, step: 0,
          due_at: due, status: 'pending' as const, attempts: 0, created_at: due,
        })),
      )
      .execute();
  }

  const remaining = async () =>
    Number((await db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('status', '!=', 'sent').executeTakeFirstOrThrow()).n);

  let kills = 0;
  while (kills < KILLS) {
    const before = smtp.received.length;
    const target = before + 1 + Math.floor(Math.random() * 20); // somewhere inside the next batches
    child = startWorker(path);
    while (smtp.received.length < target && (await remaining()) > 0) await sleep(2 + Math.random() * 5);
    if ((await remaining()) === 0) break;
    child.kill('SIGKILL');
    await exited(child);
    kills += 1;
  }
  expect(kills).toBe(KILLS); // the run must not have finished before all kills landed

  child = startWorker(path);
  const deadline = Date.now() + 45_000;
  while ((await remaining()) > 0 && Date.now() < deadline) await sleep(100);
  child.kill('SIGTERM');
  await exited(child);
  child = null;

  const received = smtp.received.map((m) => m.messageId);
  const unique = new Set(received);
  const lost = ids.filter((id) => !unique.has(`<${id}@encore>`));
  const duplicates = received.length - unique.size;
  const rows = await db.selectFrom('outbox').select(['id', 'status', 'message_id']).execute();
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`outbox crash test: ${ROWS} rows, ${kills} kills, ${received.length} received, ${lost.length} lost, ${duplicates} duplicates, ${elapsed} s`);

  expect(lost).toEqual([]);
  expect(unique.size).toBe(ROWS);
  expect(duplicates).toBeLessThanOrEqual(kills);
  expect(rows.every((r) => r.status === 'sent' && r.message_id === `<${r.id}@encore>`)).toBe(true);
  await db.destroy();
}, 60_000);
