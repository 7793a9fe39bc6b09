// One widget on the page: its catalogue, cart and checkout, the step the visitor is on, and
// the hold clock. Several widgets on one page each have their own.
import { computed, effect, signal } from '@preact/signals';
import type { CartView, Locale, ResumeResponse, WidgetSettings } from '../../server/contracts/widget.ts';
import { type Api, Failure } from '../api.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { beforeLoad } from '../i18n.ts';
import { redeemLink } from '../resume.ts';
import { createCartModel } from './cart.ts';
import { createCatalogue } from './catalogue.ts';
import { createCheckout, type Field } from './checkout.ts';

export type Step = 'tickets' | 'details' | 'done';
/** The box office, from the element's data-encore-support-* attributes: for when the event cannot load. */
export type Support = Partial<Pick<WidgetSettings, 'supportEmail' | 'supportPhone'>>;
type Resume = ResumeResponse['resume'];
/** What a reminder link found; 'expired' also stands for a link that is not valid. */
export type ResumeNotice = Omit<Resume, 'state'> & { state: Resume['state'] | 'expired' };

/** Codes after which the stored cart is of no further use. */
const CART_GONE = ['CART_COMPLETED', 'NOT_FOUND', 'UNAUTHORIZED'];
const ITEM_SYNC_DEBOUNCE_MS = 400;

export function createWidget(api: Api, slug: string, requestedLocale: Locale | null, support?: Support) {
  const catalogue = createCatalogue(api, slug, requestedLocale);
  const cart = createCartModel(api, slug);
  const checkout = createCheckout(api, cart);
  const step = signal<Step>('tickets');
  const notice = signal<ResumeNotice | null>(null);
  /** Why checkout took the cart's promo code off (it stopped applying), until the buyer tries another. */
  const codeDropped = signal<Failure | null>(null);
  /** The quantities the reminded cart asked for, for trying them on another date. */
  let wanted: Record<string, number> = {};
  /** Set by a visitor's action so the new step's heading takes focus; never on page load. */
  let focusNext = false;

  const settings = computed(() => catalogue.data.value?.settings ?? null);
  const locale = computed<Locale>(() => requestedLocale ?? catalogue.data.value?.locale ?? 'en');
  const t = computed(() => catalogue.data.value?.texts ?? beforeLoad(locale.value));
  const labels = computed(() => {
    const custom = settings.value?.buttonTexts[locale.value];
    return { open: custom?.open || t.value.open, checkout: custom?.checkout || t.value.checkout };
  });
  const title = computed(() => catalogue.data.value?.event.title ?? labels.value.open);
  // What the cart recorded once consent was given (or notice shown); before that what it will record.
  const consentText = computed(() => cart.view.value?.consent.text || settings.value?.consentText[locale.value]);

  // Only called once the event has loaded: prices in its currency, times in its time zone.
  const money = (minor: number) => (minor === 0 ? t.value.free : formatMoney(minor, catalogue.data.value!.event.currency, locale.value));
  const dateTime = (iso: string) => formatDateTime(iso, catalogue.data.value!.event.timeZone, locale.value);

  // The hold clock: ticks once a second only while seats are held.
  const now = signal(api.now());
  const expiresAt = computed(() => {
    const v = cart.view.value;
    return v && v.status === 'open' && v.items.length > 0 && v.expiresAt ? Date.parse(v.expiresAt) : null;
  });
  const secondsLeft = computed(() => (expiresAt.value === null ? null : Math.max(0, Math.ceil((expiresAt.value - now.value) / 1000))));
  const expired = computed(() => secondsLeft.value === 0 || (cart.view.value?.holdActive === false && expiresAt.value !== null));
  const stopClock = effect(() => {
    if (expiresAt.value === null) return;
    now.value = api.now();
    const timer = setInterval(() => (now.value = api.now()), 1000);
    return () => clearInterval(timer);
  });

  function go(next: Step) {
    focusNext = true;
    notice.value = null;
    step.value = next;
    if (next !== 'done') cart.remember(next);
  }

  /** After an answer that changes what can be bought, fetch availability again. */
  function afterCartFailure(f: Failure | null) {
    if (!f) return;
    if (CART_GONE.includes(f.code)) {
      cart.forget();
      cart.failure.value = f;
      step.value = 'tickets';
    }
    if (['SOLD_OUT', 'SALES_CLOSED', 'HOLD_EXPIRED', 'QUANTITY_LIMIT'].includes(f.code)) {
      void catalogue.load(cart.held.value);
    }
  }

  async function start() {
    const [loaded, link] = await Promise.all([catalogue.load(), redeemLink(api)]);
    if (!loaded) return;
    const r = link?.slug === slug ? link.r : null;
    if (r) {
      notice.value = r.resume;
      wanted = Object.fromEntries([...r.cart.items, ...r.resume.unavailable].map((i) => [i.ticketTypeId, 'requested' in i ? i.requested : i.quantity]));
    } else if (r === undefined) notice.value = { state: 'expired', unavailable: [], alternatives: [] };
    const restored = await cart.restore(r?.cart);
    if (!restored) return;
    const { cart: view } = restored;
    if (view.status !== 'open') return paymentOutcome(view);
    if (!catalogue.performances.value.some((p) => p.id === view.performanceId)) {
      // Its performance is no longer on sale: nothing to continue.
      cart.forget();
      return;
    }
    catalogue.performanceId.value = view.performanceId;
    catalogue.own.value = cart.held.value;
    checkout.restore(view);
    const started = Object.keys(checkout.values.value).length || view.consent.given;
    step.value = view.items.length > 0 && (restored.step === 'details' || started) ? 'details' : 'tickets';
  }

  /** Back from the payment page (or a reload while the order waits): its outcome. */
  async function paymentOutcome(view: CartView) {
    const order = await api.order(view.id, cart.token()).catch(() => null);
    if (order?.status === 'pending_payment') {
      catalogue.performanceId.value = view.performanceId;
      checkout.restore(view);
      checkout.unpaid.value = true;
      checkout.failure.value = new Failure('PAYMENT_FAILED');
      step.value = 'details';
      return;
    }
    cart.forget();
    if (order?.status === 'paid' || order?.status === 'reserved') {
      checkout.order.value = order;
      step.value = 'done';
    } else if (order) {
      // Said where it is seen: the tickets of the order's performance, to choose again.
      catalogue.performanceId.value = view.performanceId;
      cart.failure.value = new Failure(order.moneyBack ? 'PAYMENT_REFUNDED' : 'PAYMENT_EXPIRED');
    }
  }

  function choosePerformance(id: string) {
    if (catalogue.performanceId.value === id) return;
    const v = cart.view.value;
    if (v && v.performanceId !== id) {
      // A cart belongs to one performance: release its seats and start a new one on Continue.
      if (v.items.length) void cart.patch({ items: v.items.map((i) => ({ ticketTypeId: i.ticketTypeId, quantity: 0 })) }, undefined, true);
      cart.forget();
      catalogue.own.value = {};
    }
    cart.quantities.value = {};
    catalogue.performanceId.value = id;
  }

  /** A reminder's other date: the same quantities there, held once the visitor continues. */
  function tryDate(id: string) {
    choosePerformance(id);
    cart.quantities.value = wanted;
    go('tickets');
  }

  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  function setQuantity(ticketTypeId: string, quantity: number) {
    cart.quantities.value = { ...cart.quantities.value, [ticketTypeId]: quantity };
    cart.failure.value = null;
    if (!cart.view.value) return;
    // With a cart, the hold follows the steppers (debounced: a few quick clicks, one request).
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => void cart.syncItems().then(afterCartFailure), ITEM_SYNC_DEBOUNCE_MS);
  }

  async function proceed() {
    clearTimeout(syncTimer);
    const performance = catalogue.performance.value;
    if (!performance || cart.count.value === 0) return;
    // With a cart already, sending the items again is harmless and refreshes the hold.
    const isNew = !cart.view.value;
    const f = isNew ? await cart.create(performance.id, locale.value) : await cart.syncItems();
    if (isNew && !f) await checkout.carryOver();
    afterCartFailure(f);
    if (!f && cart.view.value?.holdActive) go('details');
  }

  async function rehold() {
    afterCartFailure(await cart.syncItems());
  }

  async function submit(): Promise<Field | null> {
    const field = await checkout.submit(settings.value!.fields);
    const f = checkout.failure.value;
    // The organizer changed the fields since the event loaded: show the ones now asked.
    if (f?.code === 'BUYER_REQUIRED') void catalogue.load(cart.held.value);
    // The code stopped applying since it was shown (expired, used up): off it comes, with the
    // new total, and the buyer confirms again.
    if (f?.field === 'discountCode') {
      checkout.failure.value = null;
      codeDropped.value = f;
      await cart.patch({ discountCode: null }, undefined, true);
    }
    if (checkout.order.value) {
      cart.forget();
      go('done');
    } else if (f && (f.code === 'HOLD_EXPIRED' || CART_GONE.includes(f.code))) {
      // Nothing more to do on this step: the message moves to the tickets step.
      checkout.failure.value = null;
      cart.failure.value = f;
      afterCartFailure(f);
      go('tickets');
    }
    return field;
  }

  function buyMore() {
    cart.forget();
    checkout.reset();
    catalogue.performanceId.value = null;
    go('tickets');
    void catalogue.load();
  }

  /** Takes the pending focus request, if any (read by the step heading once it renders). */
  const takeFocus = () => {
    const yes = focusNext;
    focusNext = false;
    return yes;
  };

  function dispose() {
    stopClock();
    clearTimeout(syncTimer);
  }

  return {
    api,
    slug,
    support,
    catalogue,
    cart,
    checkout,
    step,
    notice,
    codeDropped,
    settings,
    locale,
    t,
    labels,
    title,
    consentText,
    money,
    dateTime,
    expiresAt,
    secondsLeft,
    expired,
    start,
    choosePerformance,
    tryDate,
    setQuantity,
    proceed,
    rehold,
    submit,
    buyMore,
    back: () => go('tickets'),
    takeFocus,
    dispose,
  };
}

export type Widget = ReturnType<typeof createWidget>;
