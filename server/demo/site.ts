// The demo theatre site: static files from demo/, served on their own port so the widget runs
// cross-origin as it would on a real theatre's site. `{{API_BASE}}` in HTML becomes the API origin.
import { Hono } from 'hono';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const DEFAULT_ROOT = fileURLToPath(new URL('../../demo/', import.meta.url));

export function createDemoApp(opts: { apiBase: string; root?: string }): Hono {
  const root = resolve(opts.root ?? DEFAULT_ROOT);
  const app = new Hono();

  app.get('*', async (c) => {
    const file = await resolveFile(root, new URL(c.req.url).pathname);
    const type = file && CONTENT_TYPES[extname(file)];
    if (!file || !type) return c.text('Not found', 404);

    // The site is edited while `npm start` runs; always revalidate.
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Type', type);
    if (extname(file) === '.html') {
      const html = await readFile(file, 'utf8');
      return c.body(html.replaceAll('{{API_BASE}}', opts.apiBase));
    }
    return c.body(new Uint8Array(await readFile(file)));
  });

  return app;
}

/** The regular file under `root` that `pathname` names, or null (also for anything outside root). */
async function resolveFile(root: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  if (decoded.endsWith('/')) decoded += 'index.html';

  const file = resolve(root, `.${decoded}`);
  if (!file.startsWith(root + sep)) return null;
  // Dotfiles (editor swap files, .DS_Store) are never part of the site.
  if (
    file
      .slice(root.length)
      .split(sep)
      .some((part) => part.startsWith('.'))
  )
    return null;

  try {
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}
