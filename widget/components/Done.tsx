// Step three: the order and its tickets.
import { formatMoney } from '../format.ts';
import { fill } from '../i18n.ts';
import type { Widget } from '../models/widget.ts';
import { StepHeading } from './StepHeading.tsx';

export function Done({ w }: { w: Widget }) {
  const t = w.t.value;
  const order = w.checkout.order.value!;
  const event = w.catalogue.data.value!.event;
  const performance = w.catalogue.data.value!.performances.find((p) => p.id === order.performanceId);
  // The order page (tickets with QR codes, PDF) and its calendar event, on the API's origin.
  const page = order.page && w.api.base + order.page;
  return (
    <div class="done">
      <StepHeading w={w} text={t.thanks} />
      <p>
        {t.orderNumber}: <strong data-testid="order-number">{order.number}</strong>
      </p>
      <p data-testid="when">
        {performance && `${w.dateTime(performance.startsAt)}, `}
        {event.venue}
      </p>
      {(order.status === 'paid' || order.status === 'reserved') && <p data-testid="sent-to">{fill(t.ticketsSent, { email: order.buyer.email })}</p>}
      {page && (
        <p>
          <a href={page} target="_blank" rel="noopener" data-testid="order-page">
            {t.orderPage}
          </a>
          {' · '}
          <a href={`${page}/event.ics`} download data-testid="add-to-calendar">
            {t.addToCalendar}
          </a>
        </p>
      )}
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
