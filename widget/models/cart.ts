// The visitor's cart: the quantities they chose, and the server's cart that holds those seats.
import { computed, signal } from '@preact/signals';
import type { CartView, Locale, UpdateCartInput } from '../../server/contracts/widget.ts';
import { asFailure, Failure, type Api } from '../api.ts';
import { clearCart, loadCart, saveCart, type StoredCart } from '../storage.ts';

/** The page the visitor bought on, for the organizer's attribution; the hash is private. */
const pageUrl = () => location.href.split('#')[0];

export function createCartModel(api: Api, slug: string) {
  const quantities = signal<Record<string, number>>({});
  const view = signal<CartView | null>(null);
  const busy = signal(false);
  const failure = signal<Failure | null>(null);
  /** The ticket type a SOLD_OUT or QUANTITY_LIMIT answer was about, to show the message on its row. */
  const failedType = signal<string | null>(null);
  let stored: StoredCart | null = null;
  let sequence = 0;
  let inFlight = 0;

  const count = computed(() => Object.values(quantities.value).reduce((sum, n) => sum + n, 0));
  const held = computed(() => {
    const v = view.value;
    return v?.holdActive ? Object.fromEntries(v.items.map((i) => [i.ticketTypeId, i.quantity])) : {};
  });
  const items = () => {
    const ids = new Set([...Object.keys(quantities.value), ...(view.value?.items.map((i) => i.ticketTypeId) ?? [])]);
    return [...ids].map((ticketTypeId) => ({ ticketTypeId, quantity: quantities.value[ticketTypeId] ?? 0 }));
  };

  function accept(cart: CartView) {
    view.value = cart;
    failure.value = null;
    failedType.value = null;
  }

  function fail(f: Failure, sent?: { ticketTypeId: string }[]) {
    failure.value = f;
    const index = /^items\.(\d+)\./.exec(f.field ?? '')?.[1];
    failedType.value = index !== undefined && sent ? (sent[Number(index)]?.ticketTypeId ?? null) : null;
  }

  /**
   * The answer replaces the cart and a failure is kept for the UI. Requests may overlap (an
   * email PATCH while quantities change): only the latest one started speaks for the cart.
   */
  async function run(request: () => Promise<CartView>, sent?: { ticketTypeId: string }[], quiet = false): Promise<Failure | null> {
    const mine = ++sequence;
    busy.value = ++inFlight > 0;
    try {
      const cart = await request();
      if (mine === sequence) accept(cart);
      return null;
    } catch (error) {
      const f = asFailure(error);
      if (mine === sequence && !quiet) fail(f, sent);
      return f;
    } finally {
      busy.value = --inFlight > 0;
    }
  }

  function remember(step: StoredCart['step']) {
    if (!stored) return;
    stored = { ...stored, step };
    saveCart(slug, stored);
  }

  async function create(performanceId: string, locale: Locale) {
    const sent = items().filter((i) => i.quantity > 0);
    return run(async () => {
      const cart = await api.createCart({ performanceId, items: sent, locale, pageUrl: pageUrl() });
      stored = { id: cart.id, token: cart.token!, step: 'tickets' };
      saveCart(slug, stored);
      return cart;
    }, sent);
  }

  /** Sends the chosen quantities; also re-holds seats after the hold lapsed. */
  async function syncItems() {
    const sent = items();
    return patch({ items: sent }, sent);
  }

  /** `quiet`: the caller shows failures itself (buyer fields have their own messages). */
  async function patch(input: UpdateCartInput, sent?: { ticketTypeId: string }[], quiet = false) {
    const s = stored;
    if (!s) return new Failure('NOT_FOUND');
    return run(() => api.patchCart(s.id, s.token, input), sent, quiet);
  }

  /**
   * Picks up a cart from an earlier visit; null when there is none worth continuing. `fresh`:
   * the stored cart as a reminder link just returned it, so it need not be fetched again.
   */
  async function restore(fresh?: CartView): Promise<{ cart: CartView; step: StoredCart['step'] } | null> {
    const s = loadCart(slug);
    if (!s) return null;
    try {
      const cart = fresh ?? (await api.getCart(s.id, s.token));
      // A checked-out cart is kept only while its order waits for payment (see widget.start).
      if (cart.status !== 'open' && !cart.orderId) throw new Failure('CART_COMPLETED');
      stored = s;
      accept(cart);
      quantities.value = Object.fromEntries(cart.items.map((i) => [i.ticketTypeId, i.quantity]));
      return { cart, step: s.step };
    } catch (error) {
      // A transient failure keeps the stored cart for the next visit; anything else ends it.
      if (!asFailure(error).transient) clearCart(slug);
      return null;
    }
  }

  function forget() {
    // Answers still on their way are about the forgotten cart (the release of another date's
    // seats, say): they must not bring its view back.
    sequence++;
    stored = null;
    clearCart(slug);
    view.value = null;
    quantities.value = {};
    failure.value = null;
    failedType.value = null;
  }

  return {
    quantities,
    view,
    busy,
    failure,
    failedType,
    count,
    held,
    token: () => stored?.token ?? '',
    create,
    syncItems,
    patch,
    restore,
    remember,
    forget,
  };
}

export type CartModel = ReturnType<typeof createCartModel>;
