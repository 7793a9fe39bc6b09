// The organizer's recovery funnel as the console reads it (GET /api/console/v1/stats). How each
// figure is counted, and on which day: server/stats/stats.ts.

export interface Counts {
  cartsStarted: number;
  cartsWithEmail: number;
  abandoned: number;
  abandonedWithEmail: number;
  remindedByStep: number[];
  reminded: number;
  clicked: number;
  orders: number;
  revenue: number;
  recoveredOrders: number;
  recoveredRevenue: number;
  /** Tickets checked in at the door (server/checkin/), on the day of the scan. */
  attendance: number;
}

export interface Metrics extends Omit<Counts, 'recoveredRevenue' | 'revenue'> {
  /** Null for a performance: a widget view is of an event. */
  views: number | null;
  /** recoveredOrders ÷ abandonedWithEmail, 0 when there were none, at most 1. */
  recoveryRate: number;
  /** Minor units of `currency`; null in totals and daily when the events use several currencies. */
  revenue: number | null;
  recoveredRevenue: number | null;
}

export interface OrganizerStats {
  range: { from: string; to: string; timeZone: string; start: string; end: string };
  /** The currency of every money figure, or null when the events use several (see totalsByCurrency). */
  currency: string | null;
  totals: Metrics;
  totalsByCurrency: { currency: string; orders: number; revenue: number; recoveredOrders: number; recoveredRevenue: number }[];
  byEvent: ({ eventId: string; slug: string; title: string; currency: string } & Metrics)[];
  byPerformance: ({ performanceId: string; eventId: string; startsAt: string; currency: string } & Metrics)[];
  daily: ({ day: string } & Metrics)[];
}
