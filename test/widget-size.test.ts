// The built bundle stays small and server-only code stays out of it. `npm test` builds first.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';

const BUNDLE = 'dist/widget.js';
const BUDGET_GZIP = 20480;

function bundle(): Buffer {
  expect(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` (npm test does)`).toBe(true);
  return readFileSync(BUNDLE);
}

test('the widget bundle is within the gzip budget', () => {
  const gzip = gzipSync(bundle(), { level: 9 }).length;
  expect(gzip, `gzip ${gzip} B, budget ${BUDGET_GZIP} B`).toBeLessThanOrEqual(BUDGET_GZIP);
});

test('the widget bundle does not contain zod (contracts are imported as types only)', () => {
  const text = bundle().toString('utf8');
  // zod's class names survive minification as string literals: "$ZodType", "ZodError", ...
  expect(text).not.toMatch(/\$Zod[A-Z]|ZodError/);
});
