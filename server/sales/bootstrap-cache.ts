// The event bootstrap is the same for every visitor in a locale, and a page of widgets asks for
// it on every view. Each answer is kept, serialised with its ETag, for at most `ttlMs` of the
// injected clock. What bounds staleness:
// - a write through this process (a cart, a checkout, a resume, a console change) drops the
//   event's entries at once, and an answer computed while such a write happened is not kept;
// - what another process changes (another API instance on the same database) and what time
//   changes (a hold lapsing, sales closing) shows up within `ttlMs` — 1 s by default.
// Availability shown is advisory either way: holds and checkout re-check it in a transaction.
import { createHash } from 'node:crypto';

export interface CachedBootstrap {
  body: string;
  etag: string;
  eventId: string;
  organizerId: string;
  /** The organizer's allowed sites: the answer is for any site, and says whether the asking one may sell. */
  origins: string[];
}

type Computed = Omit<CachedBootstrap, 'body' | 'etag'> & { body: unknown };

interface Entry extends CachedBootstrap {
  slug: string;
  at: number;
}

export interface BootstrapCache {
  get(slug: string, locale: string | undefined, compute: () => Promise<Computed>): Promise<CachedBootstrap>;
  /** Forget the event (by slug): something about it changed. */
  invalidate(slug: string): void;
  /** Forget everything (a console change may touch several events or an organizer's settings). */
  clear(): void;
}

export const BOOTSTRAP_TTL_MS = 1_000;

export function createBootstrapCache(now: () => Date, ttlMs = BOOTSTRAP_TTL_MS, maxEntries = 1_000): BootstrapCache {
  const entries = new Map<string, Entry>();
  // Bumped by each invalidation: an answer whose computation spans one is not stored.
  const generations = new Map<string, number>();
  let epoch = 0;
  const generation = (slug: string) => `${epoch}.${generations.get(slug) ?? 0}`;

  return {
    async get(slug, locale, compute) {
      const key = `${slug}\u0000${locale ?? ''}`;
      const t = now().getTime();
      const hit = entries.get(key);
      if (hit && t >= hit.at && t - hit.at < ttlMs) return hit;
      const before = generation(slug);
      const { body, ...about } = await compute();
      const text = JSON.stringify(body);
      const entry: Entry = { ...about, body: text, etag: `"${createHash('sha1').update(text).digest('base64url')}"`, slug, at: t };
      if (generation(slug) === before) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.set(key, entry);
      }
      return entry;
    },
    invalidate(slug) {
      generations.set(slug, (generations.get(slug) ?? 0) + 1);
      for (const [key, entry] of entries) if (entry.slug === slug) entries.delete(key);
    },
    clear() {
      epoch++;
      generations.clear();
      entries.clear();
    },
  };
}
