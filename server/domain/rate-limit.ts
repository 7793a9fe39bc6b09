// A per-key sliding-window limit for console actions that cost something (rendering mail,
// sending it). In memory, per process, like the login throttle: enough to stop a stuck button or
// a loop in someone's script, not a quota.
import { DomainError } from './errors.ts';

export interface RateLimit {
  /** Counts one use by `key`; throws 429 TOO_MANY_ATTEMPTS when the window is full. */
  take(key: string, now: Date): void;
}

export function rateLimit(o: { max: number; windowMs: number; what: string }): RateLimit {
  const uses = new Map<string, number[]>();
  return {
    take(key, now) {
      const t = now.getTime();
      const recent = (uses.get(key) ?? []).filter((at) => at > t - o.windowMs);
      if (recent.length >= o.max) {
        const minutes = Math.ceil((recent[0]! + o.windowMs - t) / 60_000);
        throw new DomainError('TOO_MANY_ATTEMPTS', `At most ${o.max} ${o.what} per ${Math.round(o.windowMs / 60_000)} min; try again in ${minutes} min`);
      }
      recent.push(t);
      uses.set(key, recent);
    },
  };
}
