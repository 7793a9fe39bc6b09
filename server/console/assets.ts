// The organizer console's single-page app, built by `npm run build` into dist/console: the page
// at /console (and /console/* so client-side routes survive a reload) and its content-hashed
// assets, cached for good; br or gzip as the browser accepts. Read into memory on the first
// request (a rebuild needs a restart, as the widget does). Without a build, a 503 that says how
// to make one.
import { Hono, type Context } from 'hono';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOnce, loadStaticAsset, sendStaticAsset, type StaticAsset } from '../platform/http/static-asset.ts';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Console not built</title>
<p style="font:16px system-ui;margin:2rem">The organizer console is not built on this server. Run <code>npm run build</code> and reload.</p>`;

const extension = (name: string) => name.slice(name.lastIndexOf('.') + 1);

async function loadConsole(dir: string) {
  const page = await loadStaticAsset(join(dir, 'index.html'), 'text/html; charset=utf-8');
  if (!page) return null;
  // Only served types are listed, which leaves out the .br/.gz siblings.
  const names = (await readdir(join(dir, 'assets')).catch(() => [])).filter((name) => TYPES[extension(name)]);
  const loaded = await Promise.all(names.map(async (name) => [name, await loadStaticAsset(join(dir, 'assets', name), TYPES[extension(name)])] as const));
  const assets = new Map(loaded.filter((entry): entry is [string, StaticAsset] => entry[1] !== null));
  return { page, assets };
}

export function consoleAssets(dir: string) {
  const app = new Hono();
  const load = loadOnce(() => loadConsole(dir));

  const page = async (c: Context) => {
    const built = await load();
    if (!built) return c.html(NOT_BUILT, 503);
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    return sendStaticAsset(c, built.page, 'no-cache');
  };

  app.get('/assets/:file{[A-Za-z0-9_.-]+}', async (c) => {
    const asset = (await load())?.assets.get(c.req.param('file'));
    if (!asset) return c.text('Not found', 404);
    return sendStaticAsset(c, asset, 'public, max-age=31536000, immutable');
  });
  app.get('/', page);
  app.get('/*', page);

  return app;
}
