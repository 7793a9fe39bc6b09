// Size of the built widget: raw, gzip (level 9) and brotli (max quality), against the budget.
// Run `npm run build` first; `npm run bench` only measures what is in dist/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIST = 'dist';
const BUDGET_GZIP = 22528; // 22 KiB (20 KiB until promo codes, issue 9); bytes, JS + CSS, as a visitor downloads them

if (!existsSync(join(DIST, 'widget.js'))) {
  console.error('dist/widget.js is missing: run `npm run build` first.');
  process.exit(1);
}

// The CSS is normally inlined into widget.js; a separate stylesheet, if a build emits one, counts too.
const files = [
  'widget.js',
  ...readdirSync(DIST)
    .filter((f) => f.endsWith('.css'))
    .sort(),
];

const rows = files.map((file) => {
  const bytes = readFileSync(join(DIST, file));
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
});
const total = rows.reduce((t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), {
  file: 'total',
  raw: 0,
  gzip: 0,
  brotli: 0,
});

const fmt = (n: number) => n.toLocaleString('en-US').padStart(9);
console.log(`${'file'.padEnd(14)}${'raw'.padStart(9)}${'gzip'.padStart(9)}${'brotli'.padStart(9)}`);
for (const r of rows.length > 1 ? [...rows, total] : rows) {
  console.log(`${r.file.padEnd(14)}${fmt(r.raw)}${fmt(r.gzip)}${fmt(r.brotli)}`);
}

const margin = BUDGET_GZIP - total.gzip;
const pct = ((total.gzip / BUDGET_GZIP) * 100).toFixed(1);
console.log(
  `\nbudget: ${BUDGET_GZIP.toLocaleString('en-US')} B gzip (JS + CSS); used ${pct}%, ` +
    (margin >= 0 ? `${margin.toLocaleString('en-US')} B to spare` : `OVER by ${(-margin).toLocaleString('en-US')} B`),
);
if (margin < 0) process.exitCode = 1;
