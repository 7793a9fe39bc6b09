// What the HTTP benches share: a server process (support/api-process.ts) started and stopped,
// autocannon's load on it, and the purchase flow (hold, buyer details, checkout) as autocannon
// requests.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';

export const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
export const CONNECTIONS = 16;
const entry = new URL('./api-process.ts', import.meta.url).pathname;

export interface Server {
  child: ChildProcess;
  url: string;
  report(): Promise<{ p50: number; p99: number; max: number; rounds: number[]; cpuSeconds: number }>;
}

export function start(env: Record<string, string>): Promise<Server> {
  const child = fork(entry, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // A bench that dies leaves no server behind (nor a pipe held open).
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.once('message', (m: { port: number }) =>
      resolve({
        child,
        url: `http://127.0.0.1:${m.port}`,
        report: () =>
          new Promise((done) => {
            child.once('message', done as never);
            child.send('report');
          }),
      }),
    );
  });
}

export const stop = (s: Server) =>
  new Promise<void>((resolve) => {
    s.child.removeAllListeners('exit');
    s.child.once('exit', () => resolve());
    s.child.kill('SIGKILL');
  });

type Options = Omit<autocannon.Options, 'url'>;
/** `expect`: the status every response should have; `bad` counts the others and errors. */
export async function load(url: string, o: Options, expect = 0) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, ...o });
  const codes = (r as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats;
  const bad = expect ? r.requests.total - (codes[String(expect)]?.count ?? 0) : r.non2xx + r.errors;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad };
}

export const json = { 'content-type': 'application/json' };

export const holdBody = (fx: { performanceId: string; standard: string }) =>
  JSON.stringify({ performanceId: fx.performanceId, items: [{ ticketTypeId: fx.standard, quantity: 2 }] });

let serial = 0;
// autocannon's per-connection context carries the cart from one request of a flow to the next.
// biome-ignore lint/suspicious/noExplicitAny: autocannon types the context as object
type Ctx = any;
/** A whole purchase as three requests: hold 2, the buyer's details, checkout. */
export function purchaseFlow(fx: { performanceId: string; standard: string }): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/carts',
      headers: json,
      body: holdBody(fx),
      onResponse: (status, body, context: Ctx) => {
        context.cart = status === 201 ? JSON.parse(body) : null;
      },
    },
    {
      method: 'PATCH',
      setupRequest: (req, context: Ctx) => ({
        ...req,
        path: `/api/v1/carts/${context.cart.id}`,
        headers: { ...json, authorization: `Bearer ${context.cart.token}` },
        body: JSON.stringify({ buyer: { email: `b${serial++}@example.com`, name: 'Bench' } }),
      }),
    },
    {
      method: 'POST',
      setupRequest: (req, context: Ctx) => ({
        ...req,
        path: `/api/v1/carts/${context.cart.id}/checkout`,
        headers: { ...json, authorization: `Bearer ${context.cart.token}`, 'idempotency-key': context.cart.id },
        body: '{}',
      }),
    },
  ];
}
