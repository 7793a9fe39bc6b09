// A crash mid-run loses nothing. A job runner process sends 200 due reminders (jobs of the one
// queue, recovery/reminder-job.ts) through a real SMTP server,
// CONCURRENCY at a time over pooled connections, and is SIGKILLed again and again, each time
// just as a few more messages have arrived, then restarted. Afterwards every row's Message-ID
// has arrived at least once, and duplicates number at most CONCURRENCY per kill: only the
// messages in flight when the process died (one per lane) can go out twice.
//
// The control: a claim without a lease (one a dead worker's rows never come back from) loses
// rows. On a copy of the database taken after a kill, the running jobs' leases are pushed out of
// reach and the real runner finishes the rest: exactly the rows claimed but not yet sent at the
// kill are lost.
//
// The test's length follows the work done, not the clock: each kill waits for messages to arrive,
// the end waits for every row to be marked, and each wait is bounded generously. The KILLS + 1
// worker processes load side by side before the first kill (loading takes about 1 s each on an
// idle machine, 10 s or more on a loaded 2-core one), each waiting for the word to start; the
// last one also waits out the lease (LEASE_SECONDS) of the rows the last kill stranded.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { type Db, writeTransactions } from '../../server/platform/db/database.ts';
import { newId } from '../../server/platform/ids.ts';
import { createJobRunner } from '../../server/platform/jobs/runner.ts';
import { createReminderHandler, queueReminders } from '../../server/recovery/reminder-job.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { copyOf } from '../support/databases.ts';
import { freshDatabase, makeEvent } from '../support/world.ts';

const ROWS = 200;
const KILLS = 6;
const CONCURRENCY = 4;
// Long enough that no send on a loaded machine outlives half of it (the worker would hand its
// rows back, or re-claim a row it is still sending); short enough that the end waits little.
const LEASE_SECONDS = 8;
const WAIT_MS = 120_000;
const entry = fileURLToPath(new URL('../support/outbox-worker-process.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let smtp: TestSmtp;
let children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await smtp?.close();
});

/** A worker process, loaded and waiting for `go`. */
async function loadWorker(path: string): Promise<ChildProcess & { go(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env,
      DATABASE_PATH: path,
      SMTP_URL: smtp.url,
      LEASE_SECONDS: String(LEASE_SECONDS),
      BATCH_SIZE: '10',
      CONCURRENCY: String(CONCURRENCY),
      INTERVAL_MS: '20',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process not ready in ${WAIT_MS / 1000} s`)), WAIT_MS);
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('ready')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  return Object.assign(child, { go: () => void child.stdin!.write('go\n') });
}

function exited(c: ChildProcess) {
  return new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
}

// 300 s, not vitest's default: at a load average of ~17 on 2 cores, loading the 7 processes alone
// takes 15–20 s (idle: ~5 s) and the last lease adds up to 8 s; the waits inside are bounded too
// and fail first, each with its own message.
test(`SIGKILLing the worker ${KILLS} times mid-run loses no reminder and duplicates at most ${CONCURRENCY} per kill`, async () => {
  const started = Date.now();
  smtp = await startTestSmtp({ latencyMs: 2 });
  const { db, path } = await freshDatabase();
  const { organizerId } = await makeEvent(db, new Date());
  const due = new Date(Date.now() - 1000).toISOString();
  const ids = Array.from({ length: ROWS }, () => newId('out'));
  for (let i = 0; i < ROWS; i += 100) {
    await writeTransactions(db)((trx) =>
      queueReminders(
        trx,
        ids.slice(i, i + 100).map((id) => ({
          id,
          kind: 'reminder' as const,
          dedupe_key: `crash:${id}`,
          organizer_id: organizerId,
          series_id: null,
          step: 0,
          due_at: due,
          status: 'pending' as const,
          attempts: 0,
          created_at: due,
        })),
        new Date(due),
      ),
    );
  }
  const arrived = () => new Set(smtp.received.map((m) => m.messageId));
  const remaining = async () =>
    Number(
      (
        await db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('status', '!=', 'sent')
          .executeTakeFirstOrThrow()
      ).n,
    );

  const workers = await Promise.all(Array.from({ length: KILLS + 1 }, () => loadWorker(path)));
  const loaded = ((Date.now() - started) / 1000).toFixed(1);

  let kills = 0;
  let control: { copy: { db: Db }; arrived: Set<string | null>; stranded: string[] } | null = null;
  for (const victim of workers.slice(0, KILLS)) {
    victim.go();
    await smtp.waitFor(smtp.received.length + 1 + Math.floor(Math.random() * 12), WAIT_MS);
    victim.kill('SIGKILL');
    await exited(victim);
    kills += 1;
    if (control) continue;
    // Rows the dead worker had claimed and not delivered: only the lease brings them back.
    const now = arrived();
    const claimed = await db.selectFrom('jobs').select('dedupe_key').where('kind', '=', 'reminder').where('status', '=', 'running').execute();
    const stranded = claimed.map((r) => r.dedupe_key!).filter((id) => !now.has(`<${id}@encore>`));
    if (stranded.length > 0) {
      control = { copy: await copyOf({ db }, ['organizers', 'outbox', 'jobs']), arrived: now, stranded };
    }
  }

  const last = workers[KILLS]!;
  last.go();
  for (const deadline = Date.now() + WAIT_MS; (await remaining()) > 0; await sleep(100)) {
    if (Date.now() > deadline) throw new Error(`${await remaining()} rows still not sent after ${WAIT_MS / 1000} s`);
  }
  last.kill('SIGTERM');
  await exited(last);
  children = [];

  const received = smtp.received.map((m) => m.messageId);
  const unique = new Set(received);
  const lost = ids.filter((id) => !unique.has(`<${id}@encore>`));
  const duplicates = received.length - unique.size;
  const rows = await db.selectFrom('outbox').select(['id', 'status', 'message_id']).execute();
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `outbox crash test: ${ROWS} rows, ${kills} kills, ${received.length} received, ${lost.length} lost, ${duplicates} duplicates, ${elapsed} s (${loaded} s loading the workers)`,
  );

  expect(lost).toEqual([]);
  expect(unique.size).toBe(ROWS);
  expect(duplicates).toBeLessThanOrEqual(kills * CONCURRENCY);
  expect(rows.every((r) => r.status === 'sent' && r.message_id === `<${r.id}@encore>`)).toBe(true);
  await db.destroy();

  // The control. If no kill ever left a claimed row unsent, the kills missed the runs entirely.
  expect(control, 'no kill landed while rows were claimed').not.toBeNull();
  const copy = control!.copy.db;
  await copy.updateTable('jobs').set({ lease_until: '9999-12-31T00:00:00.000Z' }).where('status', '=', 'running').execute();
  const delivered = new Set(control!.arrived);
  const worker = createJobRunner({ db: copy, tx: writeTransactions(copy), now: () => new Date(), log: () => {} });
  worker.register(
    'reminder',
    createReminderHandler({
      db: copy,
      now: () => new Date(),
      from: 'tickets@localhost',
      transport: {
        async sendMail(m) {
          delivered.add(m.messageId);
          return { messageId: m.messageId };
        },
      },
      prepare: async () => ({ message: { to: 'guest@example.com', subject: 'Reminder', html: '', text: '', headers: {} } }),
    }),
  );
  while ((await worker.drainKind('reminder')).result.claimed > 0);
  const lostWithoutReclaim = ids.filter((id) => !delivered.has(`<${id}@encore>`));
  console.log(`control without lease re-claim: ${lostWithoutReclaim.length} lost`);
  expect(lostWithoutReclaim.sort()).toEqual(control!.stranded.sort());
  expect(lostWithoutReclaim.length).toBeGreaterThan(0);
}, 300_000);
