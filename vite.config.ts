// One build: widget/entry.ts → dist/widget.js, a single minified IIFE carrying its own CSS
// (imported with `?inline` and attached inside each shadow root). The test block is vitest's.
import { defineConfig } from 'vitest/config';
import { precompress } from './server/platform/http/precompress.ts';

export default defineConfig({
  // Classic JSX (h(type, props, ...children)) rather than the automatic runtime: Preact's h is in
  // the bundle anyway, and the automatic runtime's jsx() plus a `children:` key on every element
  // cost ~270 B gzip. tsconfig keeps "react-jsx" for type checking; the JSX types are the same.
  oxc: {
    jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' },
    jsxInject: "import { h, Fragment } from 'preact'",
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: false,
    // terser: 96 B gzip (121 B brotli) smaller than the default (oxc) on this bundle, measured
    // after the UI texts moved to the bootstrap; worth re-checking when either minifier updates.
    minify: 'terser',
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: 'widget/entry.ts',
      formats: ['iife'],
      // Required by Vite for iife; the entry exports nothing, so no global is created by it.
      name: 'EncoreWidget',
      fileName: () => 'widget.js',
    },
    rolldownOptions: {
      output: { codeSplitting: false },
      // widget.js.br and widget.js.gz beside the bundle, served by server/sales/widget-asset.ts.
      plugins: [precompress()],
    },
  },
  test: {
    // Three tiers (ARCHITECTURE.md): `npx vitest run --project unit|api|browser` runs one.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'api', include: ['test/api/**/*.test.ts'] } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'] } },
    ],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60000,
    hookTimeout: 60000,
    // A fresh database per test (test/support/databases.ts): SQLite, or PostgreSQL with ENCORE_TEST_POSTGRES.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/cleanup.ts'],
  },
});
