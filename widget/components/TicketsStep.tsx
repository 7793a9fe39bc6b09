// Step one: a date, then how many of each ticket type.
import { fill } from '../i18n.ts';
import type { Widget } from '../models/widget.ts';
import { Performances } from './Performances.tsx';
import { messageFor, Problem } from './Problem.tsx';
import { StepHeading } from './StepHeading.tsx';
import { Stepper } from './Stepper.tsx';

export function TicketsStep({ w }: { w: Widget }) {
  const t = w.t.value;
  const { catalogue, cart } = w;
  const performance = catalogue.performance.value;
  const quantities = cart.quantities.value;
  const failure = cart.failure.value;
  const failedType = cart.failedType.value;
  const total = performance?.ticketTypes.reduce((sum, tt) => sum + tt.price * (quantities[tt.id] ?? 0), 0) ?? 0;

  return (
    <div>
      <StepHeading w={w} text={t.chooseDate} />
      <Performances w={w} />
      {performance && (
        <section aria-labelledby="encore-types">
          <h3 id="encore-types">{t.tickets}</h3>
          <ul class="types">
            {performance.ticketTypes.map((tt) => {
              const max = catalogue.limit(tt);
              const left = tt.available + (catalogue.own.value[tt.id] ?? 0);
              return (
                <li key={tt.id} class="tt" data-testid="tt-row" data-tt-id={tt.id}>
                  <div class="tt-info">
                    <span class="tt-name">{tt.name}</span>
                    <span>
                      <span class="tt-price">{w.money(tt.price)}</span>
                      <span class="muted"> · {left > 0 ? fill(t.left, { n: left }) : t.soldOut}</span>
                    </span>
                  </div>
                  <Stepper t={t} name={tt.name} value={quantities[tt.id] ?? 0} min={tt.minPerOrder} max={max} onChange={(n) => w.setQuantity(tt.id, n)} />
                  {failure && failedType === tt.id && (
                    <p class="error row-error" role="alert" data-testid="error-message">
                      {messageFor(t, failure)}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
          {failure && failedType === null && (
            <Problem t={t} failure={failure} settings={w.settings.value} onRetry={() => void (cart.view.value ? w.rehold() : w.proceed())} />
          )}
          <div class="bar">
            <span class="total">
              {t.total}: <strong>{w.money(total)}</strong>
            </span>
            <button
              type="button"
              class="btn primary"
              data-testid="continue"
              disabled={cart.count.value === 0}
              aria-busy={cart.busy.value}
              onClick={() => !cart.busy.value && void w.proceed()}
            >
              {t.continue}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
