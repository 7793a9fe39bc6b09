// Serves the built bundle: /widget.js for the snippet (short cache, so fixes reach every site
// within minutes) and /widget.<hash>.js, immutable, for sites that pin a version.
import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errorBody } from './errors.ts';

export function widgetAsset(bundlePath: string) {
  const app = new Hono();
  let bundle: { body: string; hash: string } | null = null;
  const load = () => {
    if (bundle) return bundle;
    try {
      const body = readFileSync(bundlePath, 'utf8');
      bundle = { body, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
    } catch {
      return null;
    }
    return bundle;
  };
  const js = 'text/javascript; charset=utf-8';

  app.get('/widget.js', (c) => {
    const b = load();
    if (!b) return c.json(errorBody('NOT_FOUND', 'The widget is not built: run `npm run build`'), 503);
    c.header('X-Encore-Pinned', `/widget.${b.hash}.js`);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(b.body, 200, { 'Content-Type': js });
  });

  app.get('/:file{widget\\.[0-9a-f]{12}\\.js}', (c) => {
    const b = load();
    if (!b || c.req.param('file') !== `widget.${b.hash}.js`) {
      return c.json(errorBody('NOT_FOUND', 'No widget build with that hash on this server'), 404);
    }
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(b.body, 200, { 'Content-Type': js });
  });

  return app;
}
