// The buyer's details and the checkout itself. The email reaches the server as soon as it is
// valid, before any checkout, so an abandoned cart can still be followed up.
import { signal } from '@preact/signals';
import type { CartView, OrderView } from '../../server/contracts.ts';
import { asFailure, type Api, type Failure } from '../api.ts';
import type { CartModel } from './cart.ts';

export type Field = 'email' | 'name' | 'phone';
const FIELDS: Field[] = ['email', 'name', 'phone'];
export const validEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim());
// The server's own rule (contracts.ts), so the visitor hears about it before sending.
export const validPhone = (v: string) => /^\+?[0-9 ()\-]{5,40}$/.test(v.trim());

const EMAIL_DEBOUNCE_MS = 400;

/**
 * 128 random bits as hex; the server takes any 1–255 character key. (crypto.randomUUID exists
 * only on https pages, and host pages on plain http must work too.)
 */
const randomKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

export function createCheckout(api: Api, cart: CartModel) {
  const buyer = { email: signal(''), name: signal(''), phone: signal('') };
  const consent = signal(false);
  const invalid = signal<Partial<Record<Field, true>>>({});
  const failure = signal<Failure | null>(null);
  const submitting = signal(false);
  const order = signal<OrderView | null>(null);
  /** What the server last accepted for each field, so unchanged values are not sent again. */
  let sent: Partial<Record<Field, string>> = {};
  let emailTimer: ReturnType<typeof setTimeout> | undefined;
  /** One key per checkout attempt; a retry after no answer reuses it so nothing is sold twice. */
  let attemptKey: string | null = null;

  const mark = (field: Field, bad: boolean) => {
    const { [field]: _, ...rest } = invalid.value;
    invalid.value = bad ? { ...rest, [field]: true } : rest;
  };

  const valid = (field: Field, value: string) =>
    field === 'email' ? validEmail(value) : field === 'name' ? value.trim() !== '' : validPhone(value);

  async function send(field: Field) {
    const value = buyer[field].value.trim();
    if (!valid(field, value) || sent[field] === value) return;
    const f = await cart.patch({ buyer: { [field]: value } }, undefined, true);
    if (!f) sent[field] = value;
    else if (f.code === 'VALIDATION' && f.field === `buyer.${field}`) mark(field, true);
  }

  function input(field: Field, value: string) {
    buyer[field].value = value;
    if (invalid.value[field] && valid(field, value)) mark(field, false);
    if (field !== 'email') return;
    clearTimeout(emailTimer);
    emailTimer = setTimeout(() => void send('email'), EMAIL_DEBOUNCE_MS);
  }

  /** Leaving a field is when it is fair to say it is wrong (not while the visitor is typing). */
  function blur(field: Field) {
    if (field === 'email') clearTimeout(emailTimer);
    const value = buyer[field].value;
    // An empty optional phone is fine; empty required fields are reported on submit only.
    mark(field, value.trim() !== '' && !valid(field, value));
    void send(field);
  }

  function toggleConsent(given: boolean) {
    consent.value = given;
    void cart.patch({ consent: given }, undefined, true);
  }

  /** Fills the form from a restored cart. */
  function restore(view: CartView) {
    for (const f of FIELDS) buyer[f].value = sent[f] = view.buyer[f] ?? '';
    consent.value = view.consent.given;
  }

  /**
   * A new cart (another date, or after the old one was gone) has been told nothing: give it
   * what the form already shows — the valid details and a ticked consent box.
   */
  async function carryOver() {
    sent = {};
    const details = Object.fromEntries(
      FIELDS.map((f) => [f, buyer[f].value.trim()] as const).filter(([f, v]) => valid(f, v)),
    );
    if (!Object.keys(details).length && !consent.value) return;
    const f = await cart.patch({ buyer: details, ...(consent.value && { consent: true }) }, undefined, true);
    if (!f) sent = details;
  }

  /** Returns the first field to fix, or null once the order went through or failed otherwise. */
  async function submit(askPhone: boolean): Promise<Field | null> {
    const fields = askPhone ? FIELDS : FIELDS.slice(0, 2);
    const required = (f: Field) => f !== 'phone' || buyer.phone.value.trim() !== '';
    const bad = fields.filter((f) => required(f) && !valid(f, buyer[f].value));
    invalid.value = Object.fromEntries(bad.map((f) => [f, true]));
    if (bad.length) return bad[0];

    clearTimeout(emailTimer);
    submitting.value = true;
    failure.value = null;
    try {
      const details: Partial<Record<Field, string>> = Object.fromEntries(
        fields.filter(required).map((f) => [f, buyer[f].value.trim()]),
      );
      if (fields.some((f) => details[f] !== undefined && details[f] !== sent[f])) {
        const patched = await cart.patch({ buyer: details }, undefined, true);
        // CART_COMPLETED after an unanswered attempt means that attempt went through: ask for it.
        if (patched && !(patched.code === 'CART_COMPLETED' && attemptKey)) throw patched;
        sent = { ...sent, ...details };
      }
      attemptKey ??= randomKey();
      const result = await api.checkout(cart.view.value!.id, cart.token(), attemptKey);
      attemptKey = null;
      order.value = result.order;
      return null;
    } catch (error) {
      const f = asFailure(error);
      // A decided answer ends the attempt; no answer keeps the key for the retry.
      if (!f.transient) attemptKey = null;
      const field = /^buyer\.(email|name|phone)$/.exec(f.field ?? '')?.[1] as Field | undefined;
      if (field && (f.code === 'VALIDATION' || f.code === 'BUYER_REQUIRED')) {
        mark(field, true);
        return field;
      }
      failure.value = f;
      return null;
    } finally {
      submitting.value = false;
    }
  }

  function reset() {
    clearTimeout(emailTimer);
    for (const f of FIELDS) buyer[f].value = '';
    consent.value = false;
    invalid.value = {};
    failure.value = null;
    order.value = null;
    sent = {};
    attemptKey = null;
  }

  return { buyer, consent, invalid, failure, submitting, order, input, blur, toggleConsent, restore, carryOver, submit, reset };
}

export type Checkout = ReturnType<typeof createCheckout>;
