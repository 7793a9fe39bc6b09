// Reminder jobs (recovery/reminder-job.ts on the job runner) against a real SMTP server: due
// reminders are claimed under a lease, sent once with a deterministic Message-ID, temporary
// refusals retried with backoff, permanent ones recorded, and what the domain says to skip left
// unsent. One drain sends the due rows a few at a time, within a time budget on the injected clock.
// The outbox row is the record (status, attempts, sent_at); the job holds the claim.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { writeTransactions, type Db, type WriteTransaction } from '../../server/platform/db/database.ts';
import { newId } from '../../server/platform/ids.ts';
import { createJobRunner } from '../../server/platform/jobs/runner.ts';
import { createReminderHandler, MAX_ATTEMPTS, type OutboxRow, type Prepared, queueReminders } from '../../server/recovery/reminder-job.ts';
import { createMailTransport, type MailTransport } from '../../server/platform/mail/transport.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { Clock, freshDatabase, makeEvent } from '../support/world.ts';

let smtp: TestSmtp;
let db: Db;
let organizerId: string;
let clock: Clock;

beforeAll(async () => {
  smtp = await startTestSmtp({ refuse: (rcpt) => (rcpt.startsWith('busy') ? 450 : rcpt.startsWith('nobody') ? 550 : null) });
  ({ db } = await freshDatabase());
});
const transports: ReturnType<typeof createMailTransport>[] = [];
/** A pooled transport, closed after the file so its idle connections do not hold the server open. */
function transport(url = smtp.url) {
  const t = createMailTransport(url);
  transports.push(t);
  return t;
}
afterAll(async () => {
  for (const t of transports) t.close();
  await smtp.close();
});
beforeEach(async () => {
  clock = new Clock();
  await db.deleteFrom('outbox').execute();
  await db.deleteFrom('jobs').execute();
  ({ organizerId } = await makeEvent(db, clock.now()));
  smtp.received.length = 0;
});

/** A due reminder and its job; `leasedUntil`: a worker (now dead) holds its claim until then. */
async function addRow(to: string, o: { dueInMinutes?: number; leasedUntil?: string } = {}) {
  const id = newId('out');
  const tx = writeTransactions(db);
  await tx((trx) =>
    queueReminders(
      trx,
      [
        {
          id,
          kind: 'reminder',
          dedupe_key: `test:${id}`,
          organizer_id: organizerId,
          series_id: to, // the test's prepare reads the recipient from here
          step: 0,
          due_at: new Date(clock.now().getTime() + (o.dueInMinutes ?? 0) * 60_000).toISOString(),
          status: 'pending',
          attempts: 0,
          created_at: clock.now().toISOString(),
        },
      ],
      clock.now(),
    ),
  );
  if (o.leasedUntil) {
    await db
      .updateTable('jobs')
      .set({ status: 'running', attempts: 1, lease_token: 'dead-worker', lease_until: o.leasedUntil })
      .where('kind', '=', 'reminder')
      .where('dedupe_key', '=', id)
      .execute();
  }
  return id;
}

const jobOf = (id: string) => db.selectFrom('jobs').selectAll().where('kind', '=', 'reminder').where('dedupe_key', '=', id).executeTakeFirstOrThrow();
const row = (id: string) => db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function prepare(r: OutboxRow): Promise<Prepared> {
  if (r.series_id!.startsWith('bought')) return { skip: 'purchased' };
  return {
    message: {
      to: r.series_id!,
      subject: `Reminder ${r.id}`,
      html: '<p>Your tickets</p>',
      text: 'Your tickets',
      headers: { 'List-Unsubscribe': '<https://tickets.example/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(condition: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await sleep(10);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function worker(
  o: { transport?: MailTransport; leaseSeconds?: number; batchSize?: number; concurrency?: number; drainSeconds?: number; tx?: WriteTransaction } = {},
) {
  const logs: string[] = [];
  const runner = createJobRunner({ db, tx: o.tx ?? writeTransactions(db), now: clock.now, log: (l) => logs.push(l) });
  runner.register(
    'reminder',
    createReminderHandler({
      db,
      now: clock.now,
      transport: o.transport ?? transport(),
      from: '"Encore" <tickets@localhost>',
      prepare,
      leaseSeconds: o.leaseSeconds,
      batchSize: o.batchSize,
      concurrency: o.concurrency,
      drainSeconds: o.drainSeconds,
    }),
  );
  return {
    logs,
    async runOnce() {
      const { result } = await runner.drainKind('reminder');
      return { claimed: result.claimed, sent: result.done, skipped: result.cancelled, retried: result.retried, failed: result.failed };
    },
    start: runner.start,
    stop: runner.stop,
  };
}

test('due rows are sent once with a deterministic Message-ID; future rows wait', async () => {
  const due = await addRow('anna@example.com');
  const later = await addRow('boris@example.com', { dueInMinutes: 30 });
  const w = worker();
  expect(await w.runOnce()).toEqual({ claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
  expect(await row(due)).toMatchObject({ status: 'sent', attempts: 1, message_id: `<${due}@encore>`, sent_at: clock.now().toISOString() });
  expect(await jobOf(due)).toMatchObject({ status: 'done', attempts: 1, lease_token: null, lease_until: null });
  expect(smtp.received.map((m) => m.messageId)).toEqual([`<${due}@encore>`]);
  expect(smtp.received[0]!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  expect(smtp.received[0]!.raw).toMatch(/^From: "?Encore"? <tickets@localhost>/m);
  expect(smtp.received[0]!.raw).toMatch(/^Date: Tue, 01 Dec 2026 09:00:00 \+0000/m); // the injected clock's time

  expect((await w.runOnce()).claimed).toBe(0);
  clock.advance(30);
  expect((await w.runOnce()).sent).toBe(1);
  expect((await row(later)).status).toBe('sent');
  expect(smtp.received).toHaveLength(2);
});

test('a row the domain rejects at claim time is cancelled with the reason and not sent', async () => {
  const id = await addRow('bought-already@example.com');
  expect(await worker().runOnce()).toMatchObject({ claimed: 1, skipped: 1, sent: 0 });
  expect(await row(id)).toMatchObject({ status: 'cancelled', last_error: 'purchased' });
  expect(smtp.received).toHaveLength(0);
});

test('a temporary refusal (450) retries with growing backoff, then fails for good', async () => {
  const id = await addRow('busy@example.com');
  const w = worker();
  const waits = [1, 5, 15, 60, 240];
  for (const [i, minutes] of waits.entries()) {
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    const r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: i + 1 });
    expect(r.last_error).toMatch(/^450 /);
    expect(r.due_at).toBe(new Date(clock.now().getTime() + minutes * 60_000).toISOString());
    clock.advance(minutes - 0.5);
    expect((await w.runOnce()).claimed).toBe(0);
    clock.advance(0.5);
  }
  expect(await w.runOnce()).toMatchObject({ failed: 1 });
  expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  expect(smtp.received).toHaveLength(0);
});

test('a permanent refusal (550) stops at once and is recorded', async () => {
  const id = await addRow('nobody@example.com');
  const ok = await addRow('anna@example.com');
  expect(await worker().runOnce()).toMatchObject({ claimed: 2, failed: 1, sent: 1 });
  const r = await row(id);
  expect(r).toMatchObject({ status: 'failed', attempts: 1 });
  expect(r.last_error).toMatch(/^550 /);
  expect((await row(ok)).status).toBe('sent');
});

test('an unreachable SMTP server is a temporary failure', async () => {
  const id = await addRow('anna@example.com');
  const w = worker({ transport: transport('smtp://127.0.0.1:1') });
  expect(await w.runOnce()).toMatchObject({ retried: 1 });
  expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1 });
  expect((await row(id)).last_error).toMatch(/ECONNREFUSED|ESOCKET/);
});

test("a dead worker's rows are taken over when the lease runs out, not before", async () => {
  const past = new Date(clock.now().getTime() - 1000).toISOString();
  const future = new Date(clock.now().getTime() + 60_000).toISOString();
  const abandoned = await addRow('anna@example.com', { leasedUntil: past });
  const leased = await addRow('boris@example.com', { leasedUntil: future });
  const w = worker();
  expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
  expect(await row(abandoned)).toMatchObject({ status: 'sent', attempts: 2 });
  expect(await row(leased)).toMatchObject({ status: 'pending' });
  expect(await jobOf(leased)).toMatchObject({ status: 'running', lease_token: 'dead-worker' });
  clock.advance(1);
  expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
});

test('past half its lease a worker hands the rest of its batch back instead of racing a takeover', async () => {
  const first = await addRow('anna@example.com', { dueInMinutes: -1 });
  const second = await addRow('boris@example.com');
  const real = transport();
  const slow: MailTransport = {
    async sendMail(m) {
      clock.advance(0.6); // 36 s of a 60 s lease
      return real.sendMail(m);
    },
  };
  expect(await worker({ transport: slow, leaseSeconds: 60, concurrency: 1 }).runOnce()).toMatchObject({ claimed: 2, sent: 1 });
  expect((await row(first)).status).toBe('sent');
  expect(await row(second)).toMatchObject({ status: 'pending', attempts: 0 });
  expect(await jobOf(second)).toMatchObject({ status: 'pending', attempts: 0, lease_token: null, lease_until: null });
});

test("a stale worker's late outcome does not overwrite the one of the worker that took over", async () => {
  const id = await addRow('anna@example.com');
  // Worker A claims, then stalls in its send past the lease; B takes over and delivers.
  let releaseA: () => void = () => {};
  const real = transport();
  const stalled: MailTransport = {
    sendMail: () => new Promise((_, reject) => (releaseA = () => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })))),
  };
  const a = worker({ transport: stalled, leaseSeconds: 60 }).runOnce();
  await until(async () => (await jobOf(id)).status === 'running', 'the claim');
  clock.advance(2);
  expect(await worker({ transport: real }).runOnce()).toMatchObject({ claimed: 1, sent: 1 });
  releaseA();
  // A's failure arrives after B's success: its mark is refused, nothing of it is recorded.
  expect(await a).toEqual({ claimed: 1, sent: 0, skipped: 0, retried: 0, failed: 0 });
  expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  expect(await jobOf(id)).toMatchObject({ status: 'done', attempts: 2 });
});

test('two workers running at once send every row exactly once', async () => {
  const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => addRow(`guest${i}@example.com`)));
  const a = worker({ batchSize: 4 });
  const b = worker({ batchSize: 4 });
  for (let i = 0; i < 10; i++) await Promise.all([a.runOnce(), b.runOnce()]);
  expect(smtp.received).toHaveLength(30);
  expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(30);
  const statuses = await db.selectFrom('outbox').select('status').where('id', 'in', ids).execute();
  expect(statuses.every((s) => s.status === 'sent')).toBe(true);
});

test('one run drains every due batch, not just the first', async () => {
  const ids = await Promise.all(Array.from({ length: 25 }, (_, i) => addRow(`guest${i}@example.com`)));
  await addRow('later@example.com', { dueInMinutes: 30 });
  expect(await worker({ batchSize: 4 }).runOnce()).toEqual({ claimed: 25, sent: 25, skipped: 0, retried: 0, failed: 0 });
  expect(new Set(smtp.received.map((m) => m.messageId))).toEqual(new Set(ids.map((id) => `<${id}@encore>`)));
});

test('a run claims no new batch once its time budget is spent; the rest stays due and untouched', async () => {
  await Promise.all(Array.from({ length: 10 }, (_, i) => addRow(`guest${i}@example.com`)));
  const real = transport();
  const oneSecondEach: MailTransport = {
    async sendMail(m) {
      clock.advance(1 / 60);
      return real.sendMail(m);
    },
  };
  // Claims at 0 s and 2 s are inside the 3 s budget, the one due at 4 s is not.
  const w = worker({ transport: oneSecondEach, batchSize: 2, concurrency: 1, drainSeconds: 3 });
  expect(await w.runOnce()).toEqual({ claimed: 4, sent: 4, skipped: 0, retried: 0, failed: 0 });
  const rest = await db.selectFrom('jobs').selectAll().where('status', '!=', 'done').execute();
  expect(rest).toHaveLength(6);
  expect(rest.every((r) => r.status === 'pending' && r.attempts === 0 && r.lease_until === null)).toBe(true);
  expect((await w.runOnce()).sent).toBe(4);
});

test('sends run `concurrency` at a time, and each row is marked as soon as its own send is done', async () => {
  const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => addRow(`guest${i}@example.com`)));
  const real = transport();
  const gates: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  const gated: MailTransport = {
    async sendMail(m) {
      most = Math.max(most, ++inFlight);
      await new Promise<void>((open) => gates.push(open));
      try {
        return await real.sendMail(m);
      } finally {
        inFlight -= 1;
      }
    },
  };
  const run = worker({ transport: gated, concurrency: 3 }).runOnce();
  await until(() => gates.length === 3, 'three sends');
  await sleep(50);
  expect(inFlight).toBe(3); // the fourth row waits for a free lane

  gates[1]!(); // the second send finishes first…
  await until(() => smtp.received.length === 1, 'the message');
  const first = smtp.received[0]!.messageId!;
  const mine = ids.find((id) => `<${id}@encore>` === first)!;
  await until(async () => (await row(mine)).status === 'sent', 'its mark');
  const others = await db.selectFrom('jobs').select('status').where('dedupe_key', '!=', mine).execute();
  expect(others.filter((o) => o.status === 'running')).toHaveLength(5); // …and is marked while the others are still out

  let done = false;
  void run.finally(() => (done = true));
  await until(() => {
    for (const open of gates.splice(0)) open();
    return done;
  }, 'the run');
  expect(await run).toMatchObject({ claimed: 6, sent: 6 });
  expect(most).toBe(3);
});

test('after five temporary failures in a row a run stops and hands the rest back untouched', async () => {
  await Promise.all(Array.from({ length: 12 }, (_, i) => addRow(`guest${i}@example.com`)));
  const down: MailTransport = {
    sendMail: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' });
    },
  };
  expect(await worker({ transport: down, concurrency: 1 }).runOnce()).toEqual({ claimed: 12, sent: 0, skipped: 0, retried: 5, failed: 0 });
  const rows = await db.selectFrom('jobs').select(['status', 'attempts', 'lease_until']).execute();
  expect(rows.filter((r) => r.attempts === 1 && r.status === 'pending')).toHaveLength(5);
  expect(rows.filter((r) => r.attempts === 0 && r.status === 'pending' && r.lease_until === null)).toHaveLength(7);
  expect((await db.selectFrom('outbox').select('attempts').execute()).filter((r) => r.attempts === 1)).toHaveLength(5);
});

test('a database that refuses writes ends the run with its error; what it held comes back after the lease', async () => {
  await Promise.all(Array.from({ length: 6 }, (_, i) => addRow(`guest${i}@example.com`)));
  const real = writeTransactions(db);
  let calls = 0;
  const busyAfterFirst: WriteTransaction = (fn) => {
    calls += 1;
    return calls === 1 ? real(fn) : Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
  };
  await expect(worker({ tx: busyAfterFirst, batchSize: 2, concurrency: 2 }).runOnce()).rejects.toThrow('database is locked');
  expect(smtp.received).toHaveLength(2); // sent, but their marks were refused
  expect((await db.selectFrom('jobs').select('status').execute()).map((j) => j.status).sort()).toEqual([
    'pending',
    'pending',
    'pending',
    'pending',
    'running',
    'running',
  ]);
  clock.advance(6); // past the 300 s lease
  expect(await worker().runOnce()).toMatchObject({ claimed: 6, sent: 6 });
  expect(smtp.received).toHaveLength(8); // the two in flight went twice, nothing was lost
  expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(6);
});

test('start() goes straight on when a run ran out of budget, not after the polling interval', async () => {
  await Promise.all(Array.from({ length: 10 }, (_, i) => addRow(`guest${i}@example.com`)));
  const real = transport();
  const oneSecondEach: MailTransport = {
    async sendMail(m) {
      clock.advance(1 / 60);
      return real.sendMail(m);
    },
  };
  const w = worker({ transport: oneSecondEach, batchSize: 2, concurrency: 1, drainSeconds: 3 });
  w.start(60_000);
  await until(() => smtp.received.length === 10, 'all ten, three runs of four, four and two');
  await w.stop();
});

test('start() polls until stopped; stop() waits for the batch in progress', async () => {
  await addRow('anna@example.com');
  const w = worker();
  w.start(10);
  for (let i = 0; i < 100 && smtp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await w.stop();
  expect(smtp.received).toHaveLength(1);
  await addRow('boris@example.com');
  await new Promise((r) => setTimeout(r, 50));
  expect(smtp.received).toHaveLength(1);
});
