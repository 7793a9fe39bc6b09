// The console's live preview walks every widget step — tickets, details, consent, done — with the
// organizer's unsaved settings, yet holds no seat and creates no order. Each call replays the
// preview cart's earlier calls, then itself, through the real cart and checkout code inside a
// rehearsal (a transaction that is rolled back: WriteTransaction.rehearse), so the preview
// answers exactly what a visitor would get, errors included, and nothing of it stays.
import type { CartView, CheckoutInput, CheckoutResponse, CreateCartInput, UpdateCartInput, WidgetSettings } from '../contracts/widget.ts';
import type { EventRow } from '../sales/catalogue-db.ts';
import { findOrganizerSettings, updateOrganizerSettings } from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { createCart, readCart, updateCartFor } from '../sales/cart-service.ts';
import { checkout } from '../sales/checkout.ts';
import { DomainError } from '../platform/errors.ts';
import { newId, newSecret, secretMatches, hashSecret } from '../platform/ids.ts';
import { PREVIEW_TTL_MS, readPreview } from '../sales/preview-token.ts';
import type { Store } from '../store.ts';

/** Preview carts live in memory: a few per organizer editing settings, gone after the token's life. */
const MAX_CARTS = 1_000;

interface PreviewCart {
  organizerId: string;
  tokenHash: string;
  expiresAt: number;
  create: CreateCartInput;
  updates: UpdateCartInput[];
  done: CheckoutResponse | null;
}

type Step = (store: Store, cart: { id: string; token: string }, own: (event: EventRow) => void) => Promise<unknown>;

export function previewCarts(store: Store, secret: string) {
  const carts = new Map<string, PreviewCart>();
  const rehearse = store.tx.rehearse;

  function draftOf(previewToken: string) {
    const draft = readPreview(secret, previewToken, store.now());
    if (!draft) throw new DomainError('UNAUTHORIZED', 'The preview has expired: reload it from the console', 'X-Encore-Preview');
    return draft;
  }

  function cartOf(id: string, token: string | null, organizerId: string): PreviewCart {
    const cart = carts.get(id);
    if (!cart || cart.expiresAt <= store.now().getTime() || cart.organizerId !== organizerId) throw new DomainError('NOT_FOUND', 'No such cart');
    if (!token || !secretMatches(token, cart.tokenHash)) throw new DomainError('UNAUTHORIZED', 'This cart needs its token: Authorization: Bearer <token>');
    return cart;
  }

  /** Runs the cart's calls so far and then `last` with the draft settings in place; undoes all of it. */
  async function replay<T>(draft: { organizerId: string; settings: WidgetSettings }, cart: Pick<PreviewCart, 'create' | 'updates'>, last: Step): Promise<T> {
    if (!rehearse) throw new Error('Previews need a write transaction that can rehearse');
    return rehearse(async (trx) => {
      await applyDraft(trx, draft.organizerId, draft.settings);
      const inner: Store = { db: trx, tx: (fn) => fn(trx), now: store.now };
      const own = (event: EventRow) => {
        if (event.organizer_id !== draft.organizerId) throw new DomainError('NOT_FOUND', 'No such performance', 'performanceId');
      };
      const made = await createCart(inner, cart.create, own);
      const real = { id: made.id, token: made.token! };
      for (const update of cart.updates) await updateCartFor(inner, real.id, real.token, update, own);
      return (await last(inner, real, own)) as T;
    });
  }

  function forget() {
    const now = store.now().getTime();
    for (const [id, cart] of carts) if (cart.expiresAt <= now || carts.size > MAX_CARTS) carts.delete(id);
  }

  const shown = (view: CartView, id: string): CartView => ({ ...view, id });

  return {
    async create(previewToken: string, input: CreateCartInput): Promise<CartView & { token: string }> {
      const draft = draftOf(previewToken);
      const view = await replay<CartView>(draft, { create: input, updates: [] }, (inner, real, own) => readCart(inner, real.id, real.token, own));
      forget();
      const id = newId('prv');
      const token = newSecret();
      carts.set(id, {
        organizerId: draft.organizerId,
        tokenHash: hashSecret(token),
        expiresAt: store.now().getTime() + PREVIEW_TTL_MS,
        create: input,
        updates: [],
        done: null,
      });
      return { ...shown(view, id), token };
    },

    async read(previewToken: string, id: string, token: string | null): Promise<CartView> {
      const draft = draftOf(previewToken);
      const cart = cartOf(id, token, draft.organizerId);
      return shown(await replay<CartView>(draft, cart, (inner, real, own) => readCart(inner, real.id, real.token, own)), id);
    },

    async update(previewToken: string, id: string, token: string | null, input: UpdateCartInput): Promise<CartView> {
      const draft = draftOf(previewToken);
      const cart = cartOf(id, token, draft.organizerId);
      if (cart.done) throw new DomainError('CART_COMPLETED', 'This cart has already been checked out');
      const view = await replay<CartView>(draft, cart, (inner, real, own) => updateCartFor(inner, real.id, real.token, input, own));
      cart.updates.push(input);
      return shown(view, id);
    },

    async checkout(previewToken: string, id: string, token: string | null, input: CheckoutInput): Promise<CheckoutResponse> {
      const draft = draftOf(previewToken);
      const cart = cartOf(id, token, draft.organizerId);
      if (cart.done) return cart.done;
      const result = await replay<{ body: CheckoutResponse }>(draft, cart, (inner, real, own) => checkout(inner, real.id, real.token, input, null, own));
      // The order was rolled back with everything else: its id must not look like a real one, and
      // it has no order page to link.
      const { page: _none, ...order } = result.body.order;
      cart.done = { order: { ...order, id: newId('prv') } };
      return cart.done;
    },
  };
}

export type PreviewCarts = ReturnType<typeof previewCarts>;

/** The organizer's saved settings with the draft's widget settings over them (inside the rehearsal only). */
async function applyDraft(trx: Db, organizerId: string, draft: WidgetSettings) {
  const saved = JSON.parse((await findOrganizerSettings(trx, organizerId)).settings) as Record<string, unknown>;
  await updateOrganizerSettings(trx, organizerId, { settings: JSON.stringify({ ...saved, ...draft }) });
}
