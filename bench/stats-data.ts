// A large, plausible organizer for the stats benchmark: 1,000,000 carts over 90 days, 10 events,
// 40 performances, ~30% with an email, tickets of every order, ~70% abandoned, reminder series, sent and cancelled
// reminders, clicks, direct and recovered orders, widget views, and PII erased on old carts.
// Orders as the payments era makes them (generator 5): ~70% paid online (a succeeded payment),
// the rest box-office reservations (most paid at the desk, some expired), ~2% of paid ones
// refunded, and each order's history (created, paid / expired / refunded).
// Built once with raw prepared statements (bench code only) and cached in the temp directory,
// keyed by the migrations' contents and this generator's version.
import SQLite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from '../server/platform/db/database.ts';

const GENERATOR_VERSION = 5;
export const BENCH = {
  carts: Number(process.env.BENCH_CARTS ?? 1_000_000),
  days: 90,
  events: 10,
  performancesPerEvent: 4,
  start: Date.parse('2026-09-01T00:00:00.000Z'),
  organizerId: 'org_bench',
};
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

function schemaVersion(carts: number): string {
  const dir = new URL('../server/platform/db/migrations/', import.meta.url);
  const hash = createHash('sha256').update(`generator ${GENERATOR_VERSION} carts ${carts}`);
  for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(new URL(name, dir)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * Returns the path of the built database, building it when the cache misses. `carts: 0` gives
 * the same organizer, events, performances and ticket types with no history at all.
 */
export async function benchDatabase(carts = BENCH.carts): Promise<{ path: string; built: boolean; seconds: number }> {
  const path = join(tmpdir(), `encore-bench-stats-${schemaVersion(carts)}.sqlite`);
  if (existsSync(path)) return { path, built: false, seconds: 0 };
  const started = performance.now();
  const building = `${path}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(building + suffix, { force: true });
  const db = openDatabase(building);
  await migrate(db);
  await db.destroy();
  fill(building, carts);
  renameSync(building, path);
  return { path, built: true, seconds: (performance.now() - started) / 1000 };
}

// Deterministic, so every build is the same data.
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fill(path: string, carts: number) {
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -400000');
  const random = prng(42);
  const iso = (ms: number) => new Date(ms).toISOString();
  const { start, days, organizerId } = BENCH;
  const end = start + days * DAY;
  const retentionBefore = end - 30 * DAY;
  const tokenHash = 'f'.repeat(64);

  const insert = {
    cart: sqlite.prepare(`insert into carts (id, token_hash, organizer_id, event_id, performance_id, status, hold_started_at,
      hold_expires_at, buyer_email, buyer_name, email_captured_at, consent, consent_mode, consent_text, consent_at, locale,
      page_url, created_at, last_activity_at, completed_at, order_id, abandoned_at, resumed_series_id, resumed_step, pii_erased_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'opt-in', ?, ?, 'ru', ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    order: sqlite.prepare(`insert into orders (id, number, organizer_id, event_id, performance_id, cart_id, buyer_email, buyer_name,
      total, currency, status, payment_method, created_at, subtotal, discount_amount, recovered_series_id, recovered_via, refunded_amount, buyer_name_key)
      values (?, ?, ?, ?, ?, ?, ?, 'Buyer', ?, 'RUB', ?, ?, ?, ?, 0, ?, ?, ?, 'buyer')`),
    payment: sqlite.prepare(`insert into payments (id, order_id, provider, provider_payment_id, redirect_url, amount, currency, status,
      idempotency_key, created_at, updated_at) values (?, ?, 'yookassa', ?, null, ?, 'RUB', ?, ?, ?, ?)`),
    event: sqlite.prepare('insert into order_events (order_id, at, actor, action, details) values (?, ?, ?, ?, null)'),
    series: sqlite.prepare(`insert into reminder_series (id, organizer_id, event_id, performance_id, cart_id, email, email_hash,
      locale, abandoned_at, status, stop_reason, expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?, 'ru', ?, ?, ?, ?, ?)`),
    outbox: sqlite.prepare(`insert into outbox (id, kind, dedupe_key, organizer_id, series_id, performance_id, step, due_at, status,
      attempts, message_id, sent_at, created_at) values (?, 'reminder', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    click: sqlite.prepare('insert into reminder_clicks (id, series_id, performance_id, step, clicked_at) values (?, ?, ?, ?, ?)'),
    views: sqlite.prepare('insert into widget_views (event_id, day, views) values (?, ?, ?)'),
    ticket: sqlite.prepare('insert into tickets (id, order_id, performance_id, ticket_type_id, code, price, created_at) values (?, ?, ?, ?, ?, 150000, ?)'),
  };

  const performances: { id: string; eventId: string }[] = [];
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `insert into organizers (id, slug, name, email, allowed_origins, settings, created_at) values (?, 'bench', 'Bench Theatre', 'bench@example.com', '[]', '{}', ?)`,
      )
      .run(organizerId, iso(start - 60 * DAY));
    for (let e = 0; e < BENCH.events; e++) {
      const eventId = `evt_bench_${e}`;
      sqlite
        .prepare(`insert into events (id, organizer_id, slug, title, time_zone, currency, created_at) values (?, ?, ?, ?, 'Europe/Moscow', 'RUB', ?)`)
        .run(eventId, organizerId, `bench-${e}`, `Play number ${e}`, iso(start - 60 * DAY));
      sqlite.prepare(`insert into ticket_types (id, event_id, name, price, capacity) values (?, ?, 'Stalls', 150000, 100000)`).run(`tt_bench_${e}`, eventId);
      for (let p = 0; p < BENCH.performancesPerEvent; p++) {
        const id = `prf_bench_${e}_${p}`;
        const startsAt = start + (days + 5 + p * 7) * DAY;
        sqlite
          .prepare('insert into performances (id, event_id, starts_at, sales_close_at, sales_paused, created_at) values (?, ?, ?, ?, 0, ?)')
          .run(id, eventId, iso(startsAt), iso(startsAt - 30 * MINUTE), iso(start - 30 * DAY));
        performances.push({ id, eventId });
      }
      for (let d = 0; d < days; d++) insert.views.run(eventId, iso(start + d * DAY).slice(0, 10), 3000 + Math.floor(random() * 3000));
    }
  })();

  let orderNo = 0;
  const batch = 50_000;
  for (let from = 0; from < carts; from += batch) {
    sqlite.transaction(() => {
      for (let i = from; i < Math.min(carts, from + batch); i++) {
        const perf = performances[Math.floor(random() * performances.length)]!;
        const created = start + Math.floor(random() * days * DAY);
        const quantity = 1 + Math.floor(random() * 4);
        const cartId = `crt_${i.toString(36)}_${Math.floor(random() * 1e9).toString(36)}`;
        const email = `buyer${i}@example.com`;
        const r = random();
        // 15% buy at once; 15% leave with an email; 55% leave without one; 15% still open. The
        // recovery loop would have marked an open cart older than its hold long ago, so only
        // the last hour's are still open and unmarked (as on a live database).
        const drawn = r < 0.15 ? 'bought' : r < 0.3 ? 'left-email' : r < 0.85 ? 'left' : 'open';
        const kind = drawn === 'open' && created < end - HOUR ? 'left' : drawn;
        const withEmail = kind === 'bought' || kind === 'left-email';
        const abandonedAt = kind === 'left' || kind === 'left-email' ? created + 30 * MINUTE : null;
        let status = kind === 'bought' ? 'completed' : 'open';
        let completedAt: number | null = kind === 'bought' ? created + 5 * MINUTE : null;
        let orderId: string | null = null;
        let seriesId: string | null = null;
        let resumedStep: number | null = null;
        let recovered = false;

        if (kind === 'left-email' && random() < 0.85) {
          seriesId = `ser_${i.toString(36)}`;
          const due = [abandonedAt! + HOUR, abandonedAt! + DAY, abandonedAt! + 3 * DAY];
          let stopped = false;
          let clickedStep: number | null = null;
          for (let step = 0; step < 3; step++) {
            const sent = !stopped && random() < [0.9, 0.75, 0.6][step]!;
            if (!sent) stopped = true;
            insert.outbox.run(
              `msg_${i.toString(36)}_${step}`,
              `reminder:${seriesId}:${step}`,
              organizerId,
              seriesId,
              perf.id,
              step,
              iso(due[step]!),
              sent ? 'sent' : 'cancelled',
              sent ? 1 : 0,
              sent ? `<${i}.${step}@encore>` : null,
              sent ? iso(due[step]!) : null,
              iso(abandonedAt!),
            );
            if (sent && clickedStep === null && random() < 0.12) clickedStep = step;
          }
          if (clickedStep !== null) {
            const clickedAt = due[clickedStep]! + Math.floor(random() * 6 * HOUR);
            insert.click.run(`clk_${i.toString(36)}`, seriesId, perf.id, clickedStep, iso(clickedAt));
            if (random() < 0.5) {
              recovered = true;
              resumedStep = clickedStep;
              status = 'completed';
              completedAt = clickedAt + 4 * MINUTE;
            }
          }
          insert.series.run(
            seriesId,
            organizerId,
            perf.eventId,
            perf.id,
            cartId,
            email,
            createHash('sha256').update(email).digest('hex'),
            iso(abandonedAt!),
            recovered ? 'stopped' : 'finished',
            recovered ? 'purchased' : null,
            iso(abandonedAt! + 10 * DAY),
            iso(abandonedAt!),
          );
        }
        if (completedAt !== null) {
          orderId = `ord_${i.toString(36)}`;
          const total = quantity * 150000;
          const online = random() < 0.7;
          const deskPaid = !online && random() < 0.8;
          const refunded = (online || deskPaid) && random() < 0.02;
          const orderStatus = refunded ? 'refunded' : online || deskPaid ? 'paid' : 'expired';
          insert.order.run(
            orderId,
            `E-${(orderNo++).toString(36).toUpperCase()}`,
            organizerId,
            perf.eventId,
            perf.id,
            cartId,
            email,
            total,
            orderStatus,
            online ? 'yookassa' : 'box_office',
            iso(completedAt),
            total,
            recovered ? seriesId : null,
            recovered ? 'link' : null,
            refunded ? total : 0,
          );
          insert.event.run(orderId, iso(completedAt), 'buyer', 'created');
          if (online) {
            const payId = `pay_${i.toString(36)}`;
            insert.payment.run(
              payId,
              orderId,
              `yk_${i.toString(36)}`,
              total,
              'succeeded',
              `idem_${i.toString(36)}`,
              iso(completedAt),
              iso(completedAt + 2 * MINUTE),
            );
            insert.event.run(orderId, iso(completedAt + 2 * MINUTE), 'yookassa', 'paid');
          } else {
            insert.event.run(orderId, iso(completedAt + DAY), deskPaid ? 'desk@bench.example' : 'system', deskPaid ? 'paid' : 'expired');
          }
          if (refunded) insert.event.run(orderId, iso(completedAt + 2 * DAY), 'desk@bench.example', 'refunded');
          for (let t = 0; t < quantity; t++) {
            insert.ticket.run(`tkt_${i.toString(36)}_${t}`, orderId, perf.id, `tt_bench_${perf.eventId.slice(10)}`, `T${i.toString(36)}${t}`, iso(completedAt));
          }
        }
        const erased = status === 'open' && created < retentionBefore;
        const lastActivity = completedAt ?? created + 2 * MINUTE;
        insert.cart.run(
          cartId,
          tokenHash,
          organizerId,
          perf.eventId,
          perf.id,
          status,
          iso(created),
          iso(created + 15 * MINUTE),
          withEmail && !erased ? email : null,
          withEmail && !erased ? 'Buyer' : null,
          withEmail ? iso(created + MINUTE) : null,
          withEmail ? 1 : 0,
          withEmail ? 'I agree to reminders' : null,
          withEmail ? iso(created + MINUTE) : null,
          erased ? null : 'https://theatre.example/repertoire',
          iso(created),
          iso(lastActivity),
          completedAt === null ? null : iso(completedAt),
          orderId,
          abandonedAt === null ? null : iso(abandonedAt),
          recovered ? seriesId : null,
          resumedStep,
          erased ? iso(end) : null,
        );
      }
    })();
  }
  // Tickets written directly: the sold counters say what they say (holds: none are live).
  // Expired and refunded orders gave their seats back.
  sqlite.exec(`insert into inventory (performance_id, ticket_type_id, sold, held)
    select t.performance_id, t.ticket_type_id, count(*), 0 from tickets t join orders o on o.id = t.order_id
    where o.status in ('paid', 'reserved', 'pending_payment') group by t.performance_id, t.ticket_type_id`);
  sqlite.close();
}
