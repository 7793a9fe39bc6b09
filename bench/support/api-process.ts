// One server process for bench/http.ts: MODE=hello is a bare Hono hello-world (the baseline);
// MODE=api is Encore's app on DATABASE_PATH, with the recovery loop every 5 s when WORKER=on
// (mail goes to a transport that drops it, so the loop's database work is what is measured).
// CLOCK_START moves the clock (the million-cart data lives in the past). Reports its event-loop
// delay and recovery rounds when asked over IPC.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../server/app.ts';
import { writeTransactions, openDatabase } from '../../server/platform/db/database.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { RECOVERY_INTERVAL_MS } from '../../server/runtime.ts';
import { createRequestGate } from '../../server/platform/jobs/give-way.ts';

const offset = process.env.CLOCK_START ? Date.parse(process.env.CLOCK_START) - Date.now() : 0;
const now = () => new Date(Date.now() + offset);
const rounds: number[] = [];
let app: { fetch: (request: Request) => Response | Promise<Response> };

if (process.env.MODE === 'hello') {
  const hello = new Hono();
  hello.get('/hello', (c) => c.text('Hello Hono!'));
  app = hello;
} else {
  const db = openDatabase(process.env.DATABASE_PATH!);
  const gate = process.env.WORKER === 'on' ? createRequestGate() : undefined;
  // TRUST_PROXY: the sign-in bench names each attempt's client by X-Forwarded-For.
  app = createApp({ db, now, gate, log: () => {}, trustProxy: Number(process.env.TRUST_PROXY ?? 0) });
  if (process.env.WORKER === 'on') {
    const jobs = createRecoveryJobs({
      db,
      tx: writeTransactions(db),
      now,
      transport: { sendMail: async (m) => ({ messageId: m.messageId }) },
      from: 'Bench <bench@example.com>',
      links: { secret: 'bench', publicBaseUrl: 'https://tickets.example', extraOrigins: [] },
      log: () => {},
      giveWay: gate!.giveWay,
    });
    // As jobs.start() schedules rounds, timing each.
    const round = async () => {
      const t = performance.now();
      const r = await jobs.runOnce().catch(() => null);
      rounds.push(performance.now() - t);
      setTimeout(round, r?.moreJobs ? 0 : RECOVERY_INTERVAL_MS);
    };
    void round();
  }
}

let cpu = process.cpuUsage();
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on('message', (message) => {
  if (message !== 'report') return;
  const ms = (ns: number) => ns / 1e6;
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  process.send!({
    p50: ms(delay.percentile(50)),
    p99: ms(delay.percentile(99)),
    max: ms(delay.max),
    rounds: rounds.splice(0),
    cpuSeconds: (used.user + used.system) / 1e6,
  });
  delay.reset();
});
process.on('SIGINT', () => process.exit(0));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.send!({ port: info.port }));
