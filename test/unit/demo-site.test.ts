// The demo theatre site: static files with the API origin substituted, and nothing else.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createDemoApp } from '../../server/demo/site.ts';

const apiBase = 'http://api.test:3000';
const app = createDemoApp({ apiBase });

describe('demo site', () => {
  test('serves the home page with the API base substituted', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain(`<script src="${apiBase}/widget.js" async></script>`);
    expect(html).not.toContain('{{API_BASE}}');
  });

  test('every page embeds the queueing stub and the widget script', async () => {
    for (const page of ['index.html', 'repertoire.html', 'tickets.html', 'spa.html']) {
      const html = await (await app.request(`/${page}`)).text();
      expect(html, page).toContain('var E=w.Encore=w.Encore||{q:[]}');
      expect(html, page).toContain(`src="${apiBase}/widget.js"`);
    }
  });

  test('the repertoire page has inline widgets for all three events', async () => {
    const html = await (await app.request('/repertoire.html')).text();
    for (const slug of ['hamlet', 'seagull', 'open-rehearsal']) {
      expect(html).toContain(`<div data-encore-event="${slug}"></div>`);
    }
  });

  test('serves stylesheets with a CSS content type', async () => {
    const res = await app.request('/hostile.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await res.text()).toContain('box-sizing: content-box !important');
  });

  test('unknown paths are 404', async () => {
    expect((await app.request('/nope.html')).status).toBe(404);
    expect((await app.request('/missing/')).status).toBe(404);
  });

  test('only GET is served', async () => {
    expect((await app.request('/index.html', { method: 'POST' })).status).toBe(404);
  });

  test.each(['/../package.json', '/..%2fpackage.json', '/..%2F..%2Fpackage.json', '/%2e%2e/package.json', '/..%5cpackage.json', '/index.html%00.css'])(
    'path traversal %s is 404, not the file',
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('"dependencies"');
    },
  );

  test('a servable file just outside the root is refused', async () => {
    // package.json would be 404 for its extension alone; an .html next to the root proves the guard.
    const dir = mkdtempSync(join(tmpdir(), 'encore-demo-'));
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site', 'index.html'), '<p>site</p>');
    writeFileSync(join(dir, 'secret.html'), '<p>secret</p>');
    writeFileSync(join(dir, 'site-other.html'), '<p>sibling</p>');
    const sandboxed = createDemoApp({ apiBase, root: join(dir, 'site') });
    try {
      expect(await (await sandboxed.request('/')).text()).toBe('<p>site</p>');
      for (const path of ['/..%2fsecret.html', '/%2e%2e%2fsecret.html', '/..%2fsite-other.html']) {
        expect((await sandboxed.request(path)).status, path).toBe(404);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
