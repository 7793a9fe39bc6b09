// The calendar event for an order (RFC 5545, the `ics` package): the performance in UTC, three
// hours long (performances record no end), at the venue, linking the order page.
import { createEvent } from 'ics';
import type { OrderDetails } from './order-details.ts';

const DURATION_HOURS = 3;

export function orderIcs(d: OrderDetails, pageUrl: string): string {
  const { error, value } = createEvent({
    uid: `${d.id}@encore`,
    productId: 'encore/tickets',
    method: 'PUBLISH',
    start: Date.parse(d.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { hours: DURATION_HOURS },
    title: d.event.title,
    location: d.event.venue,
    description: `${d.t.order} ${d.number}\n${pageUrl}`,
    url: pageUrl,
    organizer: { name: d.organizer.name, ...(d.organizer.supportEmail ? { email: d.organizer.supportEmail } : {}) },
    status: d.status === 'cancelled' || d.status === 'expired' || d.status === 'refunded' ? 'CANCELLED' : 'CONFIRMED',
  });
  if (error || !value) throw error ?? new Error('ics: no calendar event');
  return value;
}
