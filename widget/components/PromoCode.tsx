// A promo code for the order: offered only when the organizer has codes (a field nobody has a
// code for sends buyers off to search for one). The server says whether it applies and prices
// it; an applied code shows as a line of the summary, with a button to take it off.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Widget } from '../models/widget.ts';
import { Field } from './Field.tsx';
import { messageFor } from './Problem.tsx';

export function PromoCode({ w }: { w: Widget }) {
  const t = w.t.value;
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const dropped = w.codeDropped.value;
  const box = useRef<HTMLDivElement>(null);
  // Opened: the field takes focus, so a keyboard or screen-reader user lands where they type.
  useEffect(() => {
    if (open) box.current?.querySelector('input')?.focus();
  }, [open]);
  if (w.cart.view.value?.discount || !w.catalogue.data.value?.promoCodes) return null;

  async function apply() {
    if (!code.trim()) return;
    const root = box.current?.getRootNode() as ParentNode | undefined;
    const f = await w.cart.patch({ discountCode: code }, undefined, true);
    setError(f ? messageFor(t, f) : '');
    if (!f) {
      w.codeDropped.value = null;
      // Applied, this field goes: focus moves to the discount line's remove button.
      requestAnimationFrame(() => root?.querySelector<HTMLElement>('[data-testid="remove-code"]')?.focus());
    }
  }

  return (
    <div class="promo" ref={box}>
      {dropped && (
        <p class="error" role="alert" data-testid="code-dropped">
          {messageFor(t, dropped)} {t.codeRemoved}
        </p>
      )}
      {open ? (
        <div>
          <Field
            name="promo"
            label={t.promoCode}
            type="text"
            autoComplete="off"
            value={code}
            required={false}
            maxLength={40}
            error={error}
            onInput={setCode}
            onBlur={() => {}}
            // Enter here applies the code; it must not submit the order.
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void apply();
              }
            }}
          />
          <button type="button" class="btn" data-testid="apply-code" onClick={apply}>
            {t.apply}
          </button>
        </div>
      ) : (
        <button type="button" class="link" data-testid="have-code" onClick={() => setOpen(true)}>
          {t.havePromo}
        </button>
      )}
    </div>
  );
}
