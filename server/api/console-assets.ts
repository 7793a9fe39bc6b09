// The organizer console's single-page app, built by `npm run build` into dist/console: the page
// at /console (and /console/* so client-side routes survive a reload) and its content-hashed
// assets, cached for good. Without a build, a 503 that says how to make one.
import { Hono, type Context } from 'hono';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Console not built</title>
<p style="font:16px system-ui;margin:2rem">The organizer console is not built on this server. Run <code>npm run build</code> and reload.</p>`;

export function consoleAssets(dir: string) {
  const app = new Hono();

  const page = async (c: Context) => {
    const html = await readFile(join(dir, 'index.html'), 'utf8').catch(() => null);
    if (html === null) return c.html(NOT_BUILT, 503);
    c.header('Cache-Control', 'no-cache');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    return c.html(html);
  };

  app.get('/assets/:file{[A-Za-z0-9_.-]+}', async (c) => {
    const file = c.req.param('file');
    const type = TYPES[file.split('.').pop()!];
    const body = type ? await readFile(join(dir, 'assets', file)).catch(() => null) : null;
    if (!body) return c.text('Not found', 404);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type! });
  });
  app.get('/', page);
  app.get('/*', page);

  return app;
}
