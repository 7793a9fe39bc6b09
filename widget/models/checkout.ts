// The buyer's details and the checkout itself. The email reaches the server as soon as it is
// valid, before any checkout, so an abandoned cart can still be followed up.
import { randomKey } from '../storage.ts';
import { signal } from '@preact/signals';
import type { CartView, CheckoutResponse, OrderView, UpdateCartInput, WidgetSettings } from '../../server/contracts/widget.ts';
import { asFailure, type Api, type Failure } from '../api.ts';
import type { CartModel } from './cart.ts';

/** A buyer field as the server names it under `buyer.`: the organizer's questions are `answers.<id>`. */
export type Field = 'email' | 'name' | 'phone' | `answers.${string}`;
type Values = Partial<Record<Field, string>>;
export const validEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim());
// The server's own rule (contracts/widget.ts), so the visitor hears about it before sending.
export const validPhone = (v: string) => /^\+?[0-9 ()-]{5,40}$/.test(v.trim());

const EMAIL_DEBOUNCE_MS = 400;
const ANSWER = 'answers.';

/** Any answer may be sent, an empty one too (it clears the stored one); the rest only when valid. */
const valid = (field: Field, value: string) =>
  field === 'email' ? validEmail(value) : field === 'phone' ? validPhone(value) : field !== 'name' || value.trim() !== '';

/** The PATCH body's `buyer` for some fields. */
function buyerInput(values: Values): NonNullable<UpdateCartInput['buyer']> {
  const buyer: Record<string, unknown> = {};
  const answers: Record<string, string> = {};
  for (const [f, v] of Object.entries(values)) {
    if (f.startsWith(ANSWER)) answers[f.slice(ANSWER.length)] = v!;
    else buyer[f] = v;
  }
  if (Object.keys(answers).length) buyer.answers = answers;
  return buyer;
}

/** The fields this organizer asks for, each with whether it must be filled in. */
export const askedFields = (fields: WidgetSettings['fields']): [Field, boolean][] => [
  ['email', true],
  ['name', true],
  ...(fields.phone === 'off' ? [] : [['phone', fields.phone === 'required'] as [Field, boolean]]),
  ...fields.custom.map((c): [Field, boolean] => [`${ANSWER}${c.id}`, c.required]),
];

export function createCheckout(api: Api, cart: CartModel) {
  const values = signal<Values>({});
  const consent = signal(false);
  const invalid = signal<Partial<Record<Field, true>>>({});
  const failure = signal<Failure | null>(null);
  const submitting = signal(false);
  const order = signal<OrderView | null>(null);
  /** What the server last accepted for each field, so unchanged values are not sent again. */
  let sent: Values = {};
  let emailTimer: ReturnType<typeof setTimeout> | undefined;
  /** One key per checkout attempt; a retry after no answer reuses it so nothing is sold twice. */
  let attemptKey: string | null = null;
  /** The cart became an order whose payment did not go through: the button pays it again. */
  const unpaid = signal(false);

  const get = (field: Field) => (values.value[field] ?? '').trim();

  const mark = (field: Field, bad: boolean) => {
    const { [field]: _, ...rest } = invalid.value;
    invalid.value = bad ? { ...rest, [field]: true } : rest;
  };

  async function send(field: Field) {
    const value = get(field);
    if (!valid(field, value) || (sent[field] ?? '') === value) return;
    const f = await cart.patch({ buyer: buyerInput({ [field]: value }) }, undefined, true);
    if (!f) sent[field] = value;
    else if (f.code === 'VALIDATION' && f.field === `buyer.${field}`) mark(field, true);
  }

  function input(field: Field, value: string) {
    values.value = { ...values.value, [field]: value };
    if (invalid.value[field] && value.trim() && valid(field, value)) mark(field, false);
    if (field !== 'email') return;
    clearTimeout(emailTimer);
    emailTimer = setTimeout(() => void send('email'), EMAIL_DEBOUNCE_MS);
  }

  /** Leaving a field is when it is fair to say it is wrong (not while the visitor is typing). */
  function blur(field: Field) {
    if (field === 'email') clearTimeout(emailTimer);
    const value = get(field);
    // Empty fields are reported on submit only.
    mark(field, value !== '' && !valid(field, value));
    void send(field);
  }

  function toggleConsent(given: boolean) {
    consent.value = given;
    void cart.patch({ consent: given }, undefined, true);
  }

  /** Fills the form from a restored cart. */
  function restore(view: CartView) {
    const { answers, ...buyer } = view.buyer;
    const restored: Values = {};
    for (const [f, v] of Object.entries(buyer)) if (v) restored[f as Field] = v;
    for (const [id, v] of Object.entries(answers ?? {})) restored[`${ANSWER}${id}`] = v;
    values.value = restored;
    sent = { ...restored };
    consent.value = view.consent.given;
  }

  /**
   * A new cart (another date, or after the old one was gone) has been told nothing: give it
   * what the form already shows — the valid details and a ticked consent box.
   */
  async function carryOver() {
    sent = {};
    const details = Object.fromEntries(
      Object.keys(values.value)
        .map((f) => [f, get(f as Field)] as const)
        .filter(([f, v]) => v && valid(f as Field, v)),
    );
    if (!Object.keys(details).length && !consent.value) return;
    const f = await cart.patch({ buyer: buyerInput(details), ...(consent.value && { consent: true }) }, undefined, true);
    if (!f) sent = details;
  }

  /** Returns the first field to fix, or null once the order went through or failed otherwise. */
  async function submit(fields: WidgetSettings['fields']): Promise<Field | null> {
    const asked = askedFields(fields);
    const bad = asked.filter(([f, required]) => (get(f) ? !valid(f, get(f)) : required)).map(([f]) => f);
    invalid.value = Object.fromEntries(bad.map((f) => [f, true]));
    if (bad.length) return bad[0]!;

    clearTimeout(emailTimer);
    submitting.value = true;
    failure.value = null;
    try {
      const changed: Values = Object.fromEntries(asked.map(([f]) => [f, get(f)] as const).filter(([f, v]) => valid(f, v) && v !== (sent[f] ?? '')));
      if (Object.keys(changed).length) {
        const patched = await cart.patch({ buyer: buyerInput(changed) }, undefined, true);
        // CART_COMPLETED after an unanswered attempt means that attempt went through: ask for it.
        if (patched && !(patched.code === 'CART_COMPLETED' && attemptKey)) throw patched;
        sent = { ...sent, ...changed };
      }
      attemptKey ??= randomKey();
      const id = cart.view.value!.id;
      const result: Partial<CheckoutResponse> = unpaid.value ? { payment: await api.pay(id, cart.token()) } : await api.checkout(id, cart.token(), attemptKey);
      attemptKey = null;
      // Paid online: the provider's page in this tab; the stored cart shows the outcome on return.
      if (result.payment) location.assign(result.payment.redirectUrl);
      else order.value = result.order!;
      return null;
    } catch (error) {
      const f = asFailure(error);
      // A decided answer ends the attempt; no answer keeps the key for the retry.
      if (!f.transient) attemptKey = null;
      // The server names the field at fault; its message goes next to that field if it is shown.
      const field = f.field?.slice(6) as Field | undefined;
      if (field && f.field!.startsWith('buyer.') && asked.some(([a]) => a === field) && (f.code === 'VALIDATION' || f.code === 'BUYER_REQUIRED')) {
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
    values.value = {};
    consent.value = false;
    invalid.value = {};
    failure.value = null;
    order.value = null;
    sent = {};
    attemptKey = null;
    unpaid.value = false;
  }

  return { values, consent, invalid, failure, submitting, order, unpaid, get, input, blur, toggleConsent, restore, carryOver, submit, reset };
}

export type Checkout = ReturnType<typeof createCheckout>;
