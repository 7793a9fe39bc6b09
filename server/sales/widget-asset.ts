// Serves the built bundle: /widget.js for the snippet (short cache, so fixes reach every site
// within minutes, and an ETag so the check after that costs a 304) and /widget.<hash>.js,
// immutable, for sites that pin a version. Both br or gzip as the browser accepts, read once.
import { Hono, type Context } from 'hono';
import { errorBody } from '../platform/http/errors.ts';
import { loadOnce, loadStaticAsset, sendStaticAsset } from '../platform/http/static-asset.ts';

export function widgetAsset(bundlePath: string) {
  const app = new Hono();
  const load = loadOnce(() => loadStaticAsset(bundlePath, 'text/javascript; charset=utf-8'));
  // Any site may embed the widget, including pages isolated with COEP: require-corp.
  const embeddable = (c: Context) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  };

  app.get('/widget.js', async (c) => {
    const bundle = await load();
    if (!bundle) return c.json(errorBody('NOT_FOUND', 'The widget is not built: run `npm run build`'), 503);
    embeddable(c);
    c.header('X-Encore-Pinned', `/widget.${bundle.hash}.js`);
    return sendStaticAsset(c, bundle, 'public, max-age=300');
  });

  app.get('/:file{widget\\.[0-9a-f]{12}\\.js}', async (c) => {
    const bundle = await load();
    if (!bundle || c.req.param('file') !== `widget.${bundle.hash}.js`) {
      return c.json(errorBody('NOT_FOUND', 'No widget build with that hash on this server'), 404);
    }
    embeddable(c);
    return sendStaticAsset(c, bundle, 'public, max-age=31536000, immutable');
  });

  return app;
}
