// Step two: who is buying. Each field reaches the server when it is valid (see checkout model).
import { useRef } from 'preact/hooks';
import type { Field as FieldName } from '../models/checkout.ts';
import type { Widget } from '../models/widget.ts';
import { Field } from './Field.tsx';
import { Problem } from './Problem.tsx';
import { PromoCode } from './PromoCode.tsx';
import { StepHeading } from './StepHeading.tsx';

/** The input's name (and test id): the organizer's questions are custom-<id>. */
const inputName = (f: FieldName) => f.replace('answers.', 'custom-');

export function DetailsStep({ w }: { w: Widget }) {
  const t = w.t.value;
  const { checkout } = w;
  const settings = w.settings.value!;
  const { phone, custom } = settings.fields;
  const view = w.cart.view.value;
  const invalid = checkout.invalid.value;
  const form = useRef<HTMLFormElement>(null);
  const performance = w.catalogue.performance.value;
  // Required fields carry `required` for assistive tech; optional ones say so in the label.
  const field = (name: FieldName, label: string, required: boolean) => ({
    name: inputName(name),
    label: required ? label : `${label} ${t.optional}`,
    required,
    value: checkout.values.value[name] ?? '',
    onInput: (v: string) => checkout.input(name, v),
    onBlur: () => checkout.blur(name),
  });

  async function submit(e: Event) {
    e.preventDefault();
    if (checkout.submitting.value) return;
    const bad = await w.submit();
    if (bad) form.current?.querySelector<HTMLInputElement>(`[name="${inputName(bad)}"]`)?.focus();
  }

  return (
    <form ref={form} noValidate onSubmit={submit}>
      <StepHeading w={w} text={t.details} />
      {view && (
        <div class="summary">
          {performance && <p class="when">{w.dateTime(performance.startsAt)}</p>}
          <ul>
            {view.items.map((i) => (
              <li key={i.ticketTypeId}>
                <span>
                  {i.quantity} × {i.name}
                </span>
                <span>{w.money(i.lineTotal)}</span>
              </li>
            ))}
            {view.discount && (
              <li data-testid="discount-line">
                <span>
                  {t.discount} {view.discount.label}
                  {!w.checkout.unpaid.value && (
                    <button
                      type="button"
                      class="link"
                      data-testid="remove-code"
                      aria-label={t.removeCode.replace('{code}', view.discount.code)}
                      onClick={(e) => {
                        const root = e.currentTarget.getRootNode() as ParentNode;
                        // Removed, this button goes: focus moves to "Have a promo code?".
                        void w.cart.patch({ discountCode: null }).then(() => root.querySelector<HTMLElement>('[data-testid="have-code"]')?.focus());
                      }}
                    >
                      ×
                    </button>
                  )}
                </span>
                <span>−{w.money(view.discount.amount)}</span>
              </li>
            )}
          </ul>
          <p class="total">
            {t.total}: <strong>{w.money(view.total)}</strong>
          </p>
          {!w.checkout.unpaid.value && <PromoCode w={w} />}
          {/* An order awaiting payment keeps its tickets: they are paid or left to expire, not changed. */}
          {!w.checkout.unpaid.value && (
            <button type="button" class="link" onClick={w.back}>
              {t.back}
            </button>
          )}
        </div>
      )}
      <Field
        {...field('email', t.email, true)}
        type="email"
        autoComplete="email"
        error={invalid.email && t['errors.email']}
        note={settings.consentMode === 'notice' && w.consentText.value}
      />
      <Field {...field('name', t.name, true)} type="text" autoComplete="name" maxLength={120} error={invalid.name && t['errors.name']} />
      {phone !== 'off' && (
        <Field
          {...field('phone', t.phone, phone === 'required')}
          type="tel"
          autoComplete="tel"
          error={invalid.phone && t[checkout.get('phone') ? 'errors.phoneInvalid' : 'errors.phone']}
        />
      )}
      {custom.map((q) => (
        <Field
          key={q.id}
          {...field(`answers.${q.id}`, q.label[w.locale.value] || q.label.ru || q.label.en || '', q.required)}
          type="text"
          autoComplete="off"
          maxLength={500}
          error={invalid[`answers.${q.id}`] && t['errors.answer']}
        />
      ))}
      {settings.consentMode === 'opt-in' && w.consentText.value && (
        <label class="check">
          <input type="checkbox" data-testid="consent" checked={checkout.consent.value} onChange={(e) => checkout.toggleConsent(e.currentTarget.checked)} />
          <span>{w.consentText.value}</span>
        </label>
      )}
      {checkout.failure.value && <Problem t={t} failure={checkout.failure.value} settings={settings} onRetry={() => void submit(new Event('submit'))} />}
      <button type="submit" class="btn primary" data-testid="checkout" aria-busy={checkout.submitting.value}>
        {w.labels.value.checkout}
      </button>
    </form>
  );
}
