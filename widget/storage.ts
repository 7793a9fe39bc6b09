// The visitor's open cart, remembered in the host page's localStorage so a reload or a later
// visit continues where they stopped. Storage can be blocked (privacy modes, sandboxed frames):
// then the widget simply forgets.
export interface StoredCart {
  id: string;
  token: string;
  /** The step the visitor had reached, so a reload lands there again. */
  step: 'tickets' | 'details';
}

const key = (slug: string) => `encore:cart:${slug}`;

export function loadCart(slug: string): StoredCart | null {
  try {
    const value = JSON.parse(localStorage.getItem(key(slug)) ?? 'null') as StoredCart | null;
    return value && typeof value.id === 'string' && typeof value.token === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function saveCart(slug: string, cart: StoredCart): void {
  try {
    localStorage.setItem(key(slug), JSON.stringify(cart));
  } catch {
    // Storage unavailable or full: the purchase still works, it just will not survive a reload.
  }
}

export function clearCart(slug: string): void {
  try {
    localStorage.removeItem(key(slug));
  } catch {
    // As above.
  }
}

/**
 * 128 random bits as hex (an idempotency key, a device id). crypto.randomUUID exists only on
 * https pages, and host pages on plain http must work too.
 */
export const randomKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A random id of this browser, so the server can tell the browser that first redeemed a reminder link; undefined without storage. */
export function deviceId(): string | undefined {
  try {
    const id = localStorage.getItem('encore:device') ?? randomKey();
    localStorage.setItem('encore:device', id);
    return id;
  } catch {
    return undefined;
  }
}
