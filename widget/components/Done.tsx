// Step three: the order and its tickets.
import { formatMoney } from '../format.ts';
import { fill } from '../i18n.ts';
import type { Widget } from '../models/widget.ts';
import { StepHeading } from './StepHeading.tsx';

export function Done({ w }: { w: Widget }) {
  const t = w.t.value;
  const order = w.checkout.order.value!;
  return (
    <div class="done">
      <StepHeading w={w} text={t.thanks} />
      <p>
        {t.orderNumber}: <strong data-testid="order-number">{order.number}</strong>
      </p>
      <ul class="tickets">
        {order.tickets.map((ticket) => (
          <li key={ticket.code}>
            <span>{ticket.name}</span>
            <code data-testid="ticket-code">{ticket.code}</code>
          </li>
        ))}
      </ul>
      {order.paymentMethod === 'box_office' && (
        <p>
          {t.payAtBoxOffice} {t.total}: <strong>{formatMoney(order.total, order.currency, w.locale.value)}</strong>
        </p>
      )}
      {order.status === 'reserved' && order.expiresAt && <p data-testid="held-until">{fill(t.held, { time: w.dateTime(order.expiresAt) })}</p>}
      <button type="button" class="btn" onClick={w.buyMore}>
        {t.buyMore}
      </button>
    </div>
  );
}
