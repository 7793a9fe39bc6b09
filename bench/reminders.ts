// Reminder delivery throughput: the job runner's reminder kind, wired as server/loop.ts wires it
// (the real prepareReminder, the real nodemailer transport), sends BENCH_REMINDERS due reminders
// from a fresh SQLite file into an SMTP sink on loopback. The sink (smtp-server) runs in a child
// process, as a relay would, so its CPU and memory are not the worker's. The baseline sends the
// same message through the same pooled transport without the database, so the ratio of the two
// is the worker's own cost (claims, prepare, marks). Each runOnce() drains for its 3 s budget;
// the recovery loop starts its next round at once while mail is still due, so a backlog goes out
// there at this rate less the round's other steps.
// Prints tables; asserts only that every reminder arrived exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SMTPServer } from 'smtp-server';
import type { Insertable } from 'kysely';
import { writeTransactions, type Db } from '../server/platform/db/database.ts';
import type { OutboxTable } from '../server/platform/db/schema.ts';
import { newId } from '../server/platform/ids.ts';
import { prepareReminder, type ReminderLinks } from '../server/recovery/reminders.ts';
import { emailHash } from '../server/platform/signed-links.ts';
import { createJobRunner } from '../server/platform/jobs/runner.ts';
import { createReminderHandler, outboxMessageId, queueReminders } from '../server/recovery/reminder-job.ts';
import { createMailTransport, MAIL_CONNECTIONS, type OutgoingMail } from '../server/platform/mail/transport.ts';
import { freshDatabase, makeEvent, SITE } from '../test/support/world.ts';

const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 10_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const FROM = '"Test Theatre" <tickets@theatre.example>';
const LINKS: ReminderLinks = { secret: 'bench-secret-for-signing-links-0123456789', publicBaseUrl: 'https://tickets.example', extraOrigins: [] };

// RSS moves with SQLite's page cache and the allocator as well as with the heap; the JS heap left
// after a full collection at the end of each run is what would grow if the worker leaked.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

if (process.argv.includes('--sink')) runSink();
else await main();

/** The child: accepts everything, counts messages and distinct Message-IDs, answers over IPC. */
function runSink() {
  let ids = new Set<string>();
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('latin1');
      });
      stream.on('end', () => {
        count += 1;
        const id = head.match(/^Message-ID:\s*(<[^>\r\n]+>)/im)?.[1];
        if (id) ids.add(id);
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as AddressInfo).port }));
  process.on('message', (m: { type: 'count' | 'reset' }) => {
    if (m.type === 'reset') [ids, count] = [new Set(), 0];
    process.send!({ count, unique: ids.size });
  });
  process.on('disconnect', () => process.exit(0));
}

function startSink(): Promise<{ child: ChildProcess; url: string; ask: (type: 'count' | 'reset') => Promise<{ count: number; unique: number }> }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--sink'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (type: 'count' | 'reset') =>
    new Promise<{ count: number; unique: number }>((resolve) => {
      child.once('message', resolve as (m: unknown) => void);
      child.send({ type });
    });
  return new Promise((resolve) => child.once('message', (m: { port: number }) => resolve({ child, url: `smtp://127.0.0.1:${m.port}`, ask })));
}

/** A fresh database with `n` abandoned carts, each in an active series whose first step is due. */
async function seed(n: number) {
  const { db } = await freshDatabase();
  const now = new Date();
  const fx = await makeEvent(db, now, { capacity: 1_000_000, startsInDays: 10 });
  const iso = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  for (let from = 0; from < n; from += 500) {
    const carts = [],
      items = [],
      series = [];
    const outbox: Insertable<OutboxTable>[] = [];
    for (let i = from; i < Math.min(n, from + 500); i++) {
      const cartId = newId('cart');
      const seriesId = newId('ser');
      const email = `guest${i}@example.com`;
      carts.push({
        id: cartId,
        token_hash: `bench-${cartId}`,
        organizer_id: fx.organizerId,
        event_id: fx.eventId,
        performance_id: fx.performanceId,
        status: 'open' as const,
        hold_started_at: iso(-120),
        hold_expires_at: iso(-105),
        buyer_email: email,
        buyer_name: `Guest ${i}`,
        email_captured_at: iso(-119),
        consent: 1,
        consent_mode: 'opt-in' as const,
        consent_text: 'Remind me',
        consent_at: iso(-119),
        locale: i % 2 ? 'en' : 'ru',
        page_url: `${SITE}/repertoire?utm=bench`,
        created_at: iso(-120),
        last_activity_at: iso(-118),
        abandoned_at: iso(-88),
      });
      items.push({ cart_id: cartId, ticket_type_id: fx.standard, quantity: 2, unit_price: 150000 });
      series.push({
        id: seriesId,
        organizer_id: fx.organizerId,
        event_id: fx.eventId,
        performance_id: fx.performanceId,
        cart_id: cartId,
        email,
        email_hash: emailHash(email),
        locale: i % 2 ? 'en' : 'ru',
        abandoned_at: iso(-88),
        status: 'active' as const,
        expires_at: iso(7 * 1440),
        created_at: iso(-88),
      });
      // Step 0 is due; steps 1 and 2 wait in the same index, as they would in a real backlog.
      for (const [step, due] of [
        [0, -28],
        [1, 1352],
        [2, 4232],
      ] as const) {
        outbox.push({
          id: newId('msg'),
          kind: 'reminder' as const,
          dedupe_key: `reminder:${seriesId}:${step}`,
          organizer_id: fx.organizerId,
          series_id: seriesId,
          performance_id: fx.performanceId,
          step,
          due_at: iso(due),
          status: 'pending' as const,
          attempts: 0,
          created_at: iso(-88),
        });
      }
    }
    await db.insertInto('carts').values(carts).execute();
    await db.insertInto('cart_items').values(items).execute();
    await db.insertInto('reminder_series').values(series).execute();
    await writeTransactions(db)((trx) => queueReminders(trx, outbox, now));
  }
  return db;
}

/** Samples this process's RSS while `fn` runs. */
async function withRss<T>(fn: () => Promise<T>) {
  const mb = () => process.memoryUsage().rss / 1024 / 1024;
  const start = mb();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, mb())), 50);
  const value = await fn();
  clearInterval(timer);
  const end = mb();
  return { value, rss: { start, peak: Math.max(peak, end), end } };
}

async function runWorker(db: Db, smtpUrl: string) {
  const transport = createMailTransport(smtpUrl);
  const runner = createJobRunner({ db, tx: writeTransactions(db), now: () => new Date(), log: (line) => console.error(line) });
  runner.register(
    'reminder',
    createReminderHandler({ db, now: () => new Date(), transport, from: FROM, prepare: (row) => prepareReminder(db, row, new Date(), LINKS) }),
  );
  const started = performance.now();
  // As the job runner's loop drains, without its wait for the next tick; the last call finds nothing due.
  let rounds = 1;
  while ((await runner.drainKind('reminder')).result.claimed > 0) rounds += 1;
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return { rounds, seconds };
}

/** The transport alone: the same message, MAIL_CONNECTIONS sends at a time, as the worker's lanes. */
async function runBaseline(smtpUrl: string, message: Omit<OutgoingMail, 'messageId'>) {
  const transport = createMailTransport(smtpUrl);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: MAIL_CONNECTIONS }, async () => {
      while (next < REMINDERS) await transport.sendMail({ ...message, messageId: outboxMessageId(`baseline-${next++}`) });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return { seconds };
}

async function main() {
  const sink = await startSink();
  const rows: Record<string, string | number>[] = [];
  const worker: { rate: number; seconds: number; rss: { start: number; peak: number; end: number } }[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const db = await seed(REMINDERS);
    await sink.ask('reset');
    const { value, rss } = await withRss(() => runWorker(db, sink.url));
    const got = await sink.ask('count');
    const sentRows = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    if (got.count !== REMINDERS || got.unique !== REMINDERS || Number(sentRows.n) !== REMINDERS) {
      throw new Error(`run ${i + 1}: ${got.count} received, ${got.unique} distinct, ${sentRows.n} rows sent; expected ${REMINDERS} of each`);
    }
    worker.push({ rate: REMINDERS / value.seconds, seconds: value.seconds, rss });
    rows.push({
      run: i + 1,
      'runOnce() calls': value.rounds,
      seconds: value.seconds.toFixed(1),
      'msgs/s': Math.round(REMINDERS / value.seconds),
      'RSS start MB': rss.start.toFixed(0),
      'RSS peak MB': rss.peak.toFixed(0),
      'RSS end MB': rss.end.toFixed(0),
      'heap after GC MB': heapAfterGc().toFixed(0),
    });
    await db.destroy();
  }

  // The same kind of message, rendered once by the real prepare, then sent without the database.
  const db = await seed(1);
  const row = await db.selectFrom('outbox').selectAll().where('step', '=', 0).executeTakeFirstOrThrow();
  const prepared = await prepareReminder(db, row, new Date(), LINKS);
  await db.destroy();
  if (!('message' in prepared)) throw new Error(`bench reminder skipped: ${prepared.skip}`);
  const baseline: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    await sink.ask('reset');
    const { seconds } = await runBaseline(sink.url, { ...prepared.message, from: FROM });
    if ((await sink.ask('count')).unique !== REMINDERS) throw new Error('baseline: not every message arrived');
    baseline.push(REMINDERS / seconds);
  }
  sink.child.disconnect();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const spread = (rates: number[]) => ({
    'msgs/s min': Math.round(Math.min(...rates)),
    'msgs/s median': Math.round(median(rates)),
    'msgs/s max': Math.round(Math.max(...rates)),
  });
  console.log(
    `Reminder delivery: ${REMINDERS.toLocaleString('en')} due reminders (of ${(3 * REMINDERS).toLocaleString('en')} queued), one worker, SMTP sink on loopback, ${REPEATS} runs`,
  );
  console.table(rows);
  console.table([
    {
      what: 'reminder jobs (prepareReminder → pooled SMTP)',
      messages: REMINDERS,
      'seconds (median)': median(worker.map((w) => w.seconds)).toFixed(1),
      ...spread(worker.map((w) => w.rate)),
      'RSS start MB': worker[0]!.rss.start.toFixed(0),
      'RSS peak MB': Math.max(...worker.map((w) => w.rss.peak)).toFixed(0),
      'RSS end MB': worker.at(-1)!.rss.end.toFixed(0),
    },
    { what: 'baseline: same message, same pooled transport, no database', messages: REMINDERS, ...spread(baseline) },
  ]);
  console.log(`The worker sends at ${Math.round((100 * median(worker.map((w) => w.rate))) / median(baseline))}% of the bare transport's rate (medians).`);
}
