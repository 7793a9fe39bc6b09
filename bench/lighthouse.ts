// What the widget costs a host page: Lighthouse (mobile, simulated throttling) on the demo
// repertoire page (three widgets) and on the same page without the widget's two script tags, in
// one run, alternating. Debian's Chromium; the API and both pages on loopback.
import { serve, type ServerType } from '@hono/node-server';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/app.ts';
import { createDemoApp } from '../server/demo/site.ts';
import { seedDemo } from '../server/demo/seed.ts';
import { freshDatabase } from '../test/support/world.ts';
import { CHROMIUM_ARGS } from '../test/support/browser.ts';
import { fmt, spread } from './support/figures.ts';

const RUNS = Number(process.env.BENCH_REPEATS ?? 5);
const PAGE = process.env.LIGHTHOUSE_PAGE ?? 'repertoire.html';

function listen(fetch: (req: Request) => Response | Promise<Response>, port = 0): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
}

// The page without the widget: the same file minus the queueing stub and the script tag.
const bare = mkdtempSync(join(tmpdir(), 'encore-lh-'));
cpSync(new URL('../demo/', import.meta.url), bare, { recursive: true });
const withoutWidget = readFileSync(join(bare, PAGE), 'utf8')
  .replace(/<script>\s*!function\(w\)\{var E=w\.Encore[\s\S]*?<\/script>/, '')
  .replace(/<script src="\{\{API_BASE\}\}\/widget\.js"[^>]*><\/script>/, '');
writeFileSync(join(bare, PAGE), withoutWidget);

const { db, path } = await freshDatabase();
const slot = await listen(() => new Response(''));
const withPort = slot.port;
await new Promise((resolve) => slot.server.close(resolve));
const origins = [`http://127.0.0.1:${withPort}`];
await seedDemo(db, new Date(), origins);
const api = await listen(createApp({ db, extraOrigins: origins, log: () => {} }).fetch);
const apiBase = `http://127.0.0.1:${api.port}`;
const withSite = await listen(createDemoApp({ apiBase }).fetch, withPort);
const withoutSite = await listen(createDemoApp({ apiBase, root: bare }).fetch);

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: CHROMIUM_ARGS,
});

interface Figures {
  score: number;
  tbt: number;
  cls: number;
  lcp: number;
  fcp: number;
}

async function audit(url: string): Promise<Figures> {
  const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
  const lhr = result!.lhr;
  const value = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const shot = (lhr.audits['final-screenshot']?.details as { data?: string } | undefined)?.data;
  if (shot && process.env.LIGHTHOUSE_SCREENSHOTS) {
    writeFileSync(join(process.env.LIGHTHOUSE_SCREENSHOTS, `${new URL(url).port}.jpg`), Buffer.from(shot.split(',')[1]!, 'base64'));
  }
  return {
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    tbt: value('total-blocking-time'),
    cls: value('cumulative-layout-shift'),
    lcp: value('largest-contentful-paint'),
    fcp: value('first-contentful-paint'),
  };
}

const runs: Record<'without' | 'with', Figures[]> = { without: [], with: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    runs.without.push(await audit(`http://127.0.0.1:${withoutSite.port}/${PAGE}`));
    runs.with.push(await audit(`http://127.0.0.1:${withPort}/${PAGE}`));
  }
} finally {
  await chrome.kill();
  for (const s of [api, withSite, withoutSite]) s.server.close();
  await db.destroy();
  rmSync(bare, { recursive: true, force: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

const of = (which: 'without' | 'with', key: keyof Figures) => spread(runs[which].map((f) => f[key]));
const row = (which: 'without' | 'with') => ({
  page: which === 'with' ? `${PAGE} with the widget` : `${PAGE} without it`,
  score: fmt(of(which, 'score'), 0),
  'TBT ms': fmt(of(which, 'tbt'), 0),
  CLS: fmt(of(which, 'cls'), 3),
  'LCP ms': fmt(of(which, 'lcp'), 0),
  'FCP ms': fmt(of(which, 'fcp'), 0),
});
console.log(`\nLighthouse mobile (simulated throttling), ${RUNS} runs each, median (min–max)`);
console.table([row('without'), row('with')]);
const paired = runs.with.map((w, i) => ({ score: runs.without[i]!.score - w.score, tbt: w.tbt - runs.without[i]!.tbt }));
console.log(
  `Cost of the widget, paired runs: score −${fmt(spread(paired.map((p) => p.score)), 0)} (goal ≤ 5), ` +
    `TBT +${fmt(spread(paired.map((p) => p.tbt)), 0)} ms (goal ≤ 200 ms)`,
);
