// A built file held in memory in every coding a browser may ask for, and the one response that
// serves it: br or gzip by Accept-Encoding, a strong ETag per coding from the content hash, 304 on
// a match. The .br/.gz siblings come from the build (server/platform/http/precompress.ts); a missing or
// stale one is compressed here once, at load, never per request.
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CODECS, COMPRESSIBLE, type ContentCoding } from './precompress.ts';

type Coding = ContentCoding | 'identity';

export interface StaticAsset {
  type: string;
  /** First 12 hex digits of the file's SHA-256: the widget's pinned URL and every ETag carry it. */
  hash: string;
  bodies: Partial<Record<Coding, Uint8Array<ArrayBuffer>>> & { identity: Uint8Array<ArrayBuffer> };
}

/** Null when the file is not there (not built yet). */
export async function loadStaticAsset(path: string, type: string): Promise<StaticAsset | null> {
  const identity = await readFile(path).catch(() => null);
  if (!identity) return null;
  const asset: StaticAsset = {
    type,
    hash: createHash('sha256').update(identity).digest('hex').slice(0, 12),
    bodies: { identity: new Uint8Array(identity) },
  };
  if (!COMPRESSIBLE.test(path)) return asset;
  for (const [coding, codec] of Object.entries(CODECS) as [ContentCoding, (typeof CODECS)[ContentCoding]][]) {
    const sibling = await readFile(path + codec.suffix).catch(() => null);
    // A sibling left from another build would serve old code under this file's ETag: it is used
    // only if it decodes to exactly this file.
    const fresh = sibling && (await codec.decompress(sibling).catch(() => null))?.equals(identity);
    const body = fresh ? sibling : await codec.compress(identity);
    if (body.length < identity.length) asset.bodies[coding] = new Uint8Array(body);
  }
  return asset;
}

/** Loads on first use and keeps the result; a miss is retried, so building after the server started works. */
export function loadOnce<T>(load: () => Promise<T | null>): () => Promise<T | null> {
  let pending: Promise<T | null> | null = null;
  return async () => {
    pending ??= load();
    const value = await pending;
    if (value === null) pending = null;
    return value;
  };
}

export function sendStaticAsset(c: Context, asset: StaticAsset, cacheControl: string) {
  const offered = (Object.keys(CODECS) as ContentCoding[]).filter((coding) => asset.bodies[coding]);
  const coding = accepts(c, { header: 'Accept-Encoding', supports: offered, default: 'identity', match: preferred }) as Coding;
  const etag = coding === 'identity' ? `"${asset.hash}"` : `"${asset.hash}-${coding}"`;
  if (offered.length) c.header('Vary', 'Accept-Encoding', { append: true });
  c.header('ETag', etag);
  c.header('Cache-Control', cacheControl);
  if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);

  const body = asset.bodies[coding]!;
  if (coding !== 'identity') c.header('Content-Encoding', coding);
  c.header('Content-Length', String(body.length));
  return c.body(body, 200, { 'Content-Type': asset.type });
}

// The highest q wins, br before gzip on a tie. A coding not named takes the q of `*` if present.
// Identity is the fallback, and wins only when the browser ranks it above every compression.
function preferred(list: { type: string; q: number }[], { supports, default: fallback }: { supports: string[]; default: string }): string {
  const q = (name: string) => list.find((a) => a.type.toLowerCase() === name)?.q ?? list.find((a) => a.type === '*')?.q ?? 0;
  const identity = list.find((a) => a.type.toLowerCase() === 'identity')?.q ?? 0;
  let best = fallback;
  let bestQ = 0;
  for (const coding of supports) {
    const cq = q(coding);
    if (cq > bestQ && cq >= identity) [best, bestQ] = [coding, cq];
  }
  return best;
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): a proxy that weakened the tag still revalidates. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
