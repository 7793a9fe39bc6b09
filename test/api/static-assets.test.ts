// The widget and the console go out compressed as the browser asks, revalidate with a 304, and
// decode to exactly the built files. `npm test` builds first.
import { serve } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/platform/db/database.ts';
import { freshDatabase } from '../support/world.ts';

const WIDGET = 'dist/widget.js';
const CONSOLE = 'dist/console';
let db: Db;
let app: ReturnType<typeof createApp>;
let widget: Buffer;
let hash: string;

beforeAll(async () => {
  expect(existsSync(WIDGET), `${WIDGET} is missing: run \`npm run build\` (npm test does)`).toBe(true);
  expect(existsSync(`${WIDGET}.br`), `${WIDGET}.br is missing: the build's precompress plugin did not run`).toBe(true);
  widget = readFileSync(WIDGET);
  hash = createHash('sha256').update(widget).digest('hex').slice(0, 12);
  db = (await freshDatabase()).db;
  app = createApp({ db });
});

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await app.request(path, { method, headers });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

function decode(res: Response, body: Buffer): Buffer {
  const coding = res.headers.get('content-encoding');
  if (coding === 'br') return brotliDecompressSync(body);
  if (coding === 'gzip') return gunzipSync(body);
  expect(coding).toBeNull();
  return body;
}

describe('/widget.js', () => {
  test.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['BR;q=0.9, GZIP;q=0.8', 'br'],
    ['*', 'br'],
    ['*;q=0.1, gzip', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['gzip;q=0.4, identity;q=0.8', null],
    ['deflate', null],
    ['identity', null],
    ['', null],
  ])('Accept-Encoding %j → %s', async (accept, coding) => {
    const { res, body } = await get('/widget.js', accept ? { 'accept-encoding': accept } : {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe(coding);
    expect(decode(res, body).equals(widget), 'decodes to exactly dist/widget.js').toBe(true);
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('etag')).toBe(coding ? `"${hash}-${coding}"` : `"${hash}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-encore-pinned')).toBe(`/widget.${hash}.js`);
    if (coding) expect(body.length).toBeLessThan(widget.length);
  });

  test.each(['br', 'gzip', 'identity'])('a matching ETag (%s) gets a 304 with no body; another encoding’s does not', async (coding) => {
    const first = await get('/widget.js', { 'accept-encoding': coding });
    const etag = first.res.headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get('/widget.js', { 'accept-encoding': coding, 'if-none-match': ifNoneMatch });
      expect(again.res.status, ifNoneMatch).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.res.headers.get('etag')).toBe(etag);
      expect(again.res.headers.get('vary')).toBe('Accept-Encoding');
      expect(again.res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(again.res.headers.get('content-encoding')).toBeNull();
    }
    const other = coding === 'br' ? 'gzip' : 'br';
    const switched = await get('/widget.js', { 'accept-encoding': other, 'if-none-match': etag });
    expect(switched.res.status).toBe(200);
    expect(decode(switched.res, switched.body).equals(widget)).toBe(true);
  });

  test('a new build is a new ETag: an old one gets the full body', async () => {
    const { res, body } = await get('/widget.js', { 'accept-encoding': 'br', 'if-none-match': '"000000000000-br"' });
    expect(res.status).toBe(200);
    expect(decode(res, body).equals(widget)).toBe(true);
  });

  test('HEAD answers the headers of GET without a body', async () => {
    const get_ = await get('/widget.js', { 'accept-encoding': 'br' });
    const head = await get('/widget.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.res.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.res.headers.get('content-length')).toBe(String(get_.body.length));
    expect(head.res.headers.get('content-encoding')).toBe('br');
    expect(head.res.headers.get('etag')).toBe(`"${hash}-br"`);
  });
});

describe('/widget.<hash>.js', () => {
  test('is the same bytes, immutable for a year, with the same ETag family', async () => {
    for (const coding of ['br', 'gzip']) {
      const { res, body } = await get(`/widget.${hash}.js`, { 'accept-encoding': coding });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(coding);
      expect(decode(res, body).equals(widget)).toBe(true);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('etag')).toBe(`"${hash}-${coding}"`);
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const again = await get(`/widget.${hash}.js`, { 'accept-encoding': coding, 'if-none-match': res.headers.get('etag')! });
      expect(again.res.status).toBe(304);
    }
  });

  test('a hash this server did not build is a 404', async () => {
    const wrong = hash.replace(/^./, (d) => (d === '0' ? '1' : '0'));
    const { res, body } = await get(`/widget.${wrong}.js`, { 'accept-encoding': 'br' });
    expect(res.status).toBe(404);
    expect(JSON.parse(body.toString()).error.code).toBe('NOT_FOUND');
  });
});

describe('/console', () => {
  const html = () => readFileSync(join(CONSOLE, 'index.html'));

  test('index.html is compressed, no-cache, with an ETag that revalidates, on every client route', async () => {
    for (const path of ['/console', '/console/', '/console/events/evt_1']) {
      for (const coding of ['br', 'gzip']) {
        const { res, body } = await get(path, { 'accept-encoding': coding });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-encoding')).toBe(coding);
        expect(decode(res, body).equals(html())).toBe(true);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('cache-control')).toBe('no-cache');
        expect(res.headers.get('vary')).toBe('Accept-Encoding');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('etag')).toMatch(new RegExp(`^"[0-9a-f]{12}-${coding}"$`));
        const again = await get(path, { 'accept-encoding': coding, 'if-none-match': res.headers.get('etag')! });
        expect(again.res.status).toBe(304);
        expect(again.body.length).toBe(0);
      }
    }
  });

  test('every asset the page links is compressed, immutable, and decodes to the built file', async () => {
    const linked = [
      ...html()
        .toString()
        .matchAll(/(?:src|href)="\/console\/(assets\/[^"]+)"/g),
    ].map((m) => m[1]);
    expect(linked.some((f) => f.endsWith('.js'))).toBe(true);
    expect(linked.some((f) => f.endsWith('.css'))).toBe(true);
    for (const file of linked) {
      const built = readFileSync(join(CONSOLE, file));
      for (const coding of ['br', 'gzip', 'identity']) {
        const { res, body } = await get(`/console/${file}`, { 'accept-encoding': coding });
        expect(res.status, file).toBe(200);
        expect(decode(res, body).equals(built), `${file} ${coding}`).toBe(true);
        expect(res.headers.get('content-length')).toBe(String(body.length));
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(res.headers.get('vary')).toBe('Accept-Encoding');
        const etag = res.headers.get('etag')!;
        expect(etag).toMatch(/^"[0-9a-f]{12}(-br|-gzip)?"$/);
        expect((await get(`/console/${file}`, { 'accept-encoding': coding, 'if-none-match': etag })).res.status).toBe(304);
      }
    }
  });

  test('an unknown asset or a precompressed sibling by name is a 404', async () => {
    const js = [
      ...html()
        .toString()
        .matchAll(/src="\/console\/(assets\/[^"]+\.js)"/g),
    ][0][1];
    for (const path of ['/console/assets/nope.js', `/console/${js}.br`, `/console/${js}.gz`]) {
      expect((await get(path, { 'accept-encoding': 'br' })).res.status, path).toBe(404);
    }
  });
});

describe('the precompressed files are checked, not trusted', () => {
  const appWithBundleCopy = (siblings: 'none' | 'stale') => {
    const dir = mkdtempSync(join(tmpdir(), 'encore-widget-'));
    const path = join(dir, 'widget.js');
    copyFileSync(WIDGET, path);
    if (siblings === 'stale') {
      const old = Buffer.from('console.log("last week\'s widget")');
      writeFileSync(`${path}.br`, brotliCompressSync(old));
      writeFileSync(`${path}.gz`, Buffer.from('not gzip at all'));
    }
    return createApp({ db, widgetBundlePath: path });
  };

  test.each(['none', 'stale'] as const)('with %s .br/.gz beside the bundle, the server compresses it itself', async (siblings) => {
    const other = appWithBundleCopy(siblings);
    for (const coding of ['br', 'gzip']) {
      const res = await other.request('/widget.js', { headers: { 'accept-encoding': coding } });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-encoding')).toBe(coding);
      expect(decode(res, body).equals(widget), `${siblings} ${coding}`).toBe(true);
      expect(res.headers.get('etag')).toBe(`"${hash}-${coding}"`);
    }
  });
});

test('on a real socket the compressed bytes and Content-Length agree', async () => {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  try {
    const { port } = server.address() as AddressInfo;
    for (const coding of ['br', 'gzip']) {
      const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/widget.js', headers: { 'accept-encoding': coding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
      expect(headers['content-encoding']).toBe(coding);
      expect(headers['content-length']).toBe(String(body.length));
      expect(headers['transfer-encoding']).toBeUndefined();
      expect((coding === 'br' ? brotliDecompressSync(body) : gunzipSync(body)).equals(widget)).toBe(true);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
