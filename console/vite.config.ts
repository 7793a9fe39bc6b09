// The organizer console: console/ → dist/console, served by the API at /console
// (server/console/assets.ts). Content-hashed asset names, so the server caches them for good;
// .br and .gz beside each text file, so it never compresses per request.
// Runs after the widget's build, which empties dist/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from '../server/platform/http/precompress.ts';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [precompress()],
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
