// Slows password guessing: after 10 failed sign-ins for one email within 15 minutes, further
// attempts for that email are refused until the oldest failure leaves the window. In memory, per
// process: enough for one server; a restart forgets, which costs an attacker a restart.
const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;
/** Bounds memory when someone tries many different emails. */
const MAX_TRACKED = 10_000;

export interface LoginThrottle {
  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  waitMs(email: string, now: Date): number;
  failed(email: string, now: Date): void;
  succeeded(email: string): void;
}

export function loginThrottle(): LoginThrottle {
  const failures = new Map<string, number[]>();

  const recent = (email: string, now: number) => {
    const list = (failures.get(email) ?? []).filter((at) => at > now - WINDOW_MS);
    if (list.length === 0) failures.delete(email);
    else failures.set(email, list);
    return list;
  };

  return {
    waitMs(email, now) {
      const list = recent(email, now.getTime());
      return list.length < MAX_FAILURES ? 0 : list[list.length - MAX_FAILURES]! + WINDOW_MS - now.getTime();
    },
    failed(email, now) {
      if (failures.size >= MAX_TRACKED) {
        for (const key of failures.keys()) recent(key, now.getTime());
      }
      if (failures.size >= MAX_TRACKED) failures.delete(failures.keys().next().value!);
      failures.set(email, [...recent(email, now.getTime()), now.getTime()]);
    },
    succeeded(email) {
      failures.delete(email);
    },
  };
}
