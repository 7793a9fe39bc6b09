// Row types as stored. Times are ISO 8601 UTC strings (fixed width, so they compare as text);
// money is integer minor units; booleans are 0/1.
import type { ColumnType, Generated } from 'kysely';

export interface OrganizersTable {
  id: string;
  slug: string;
  name: string;
  email: string;
  allowed_origins: string; // JSON array of origins
  settings: string; // JSON, see sales/settings.ts
  created_at: string;
}

export interface EventsTable {
  id: string;
  organizer_id: string;
  slug: string;
  title: string;
  description: string;
  venue: string;
  time_zone: string;
  currency: string;
  created_at: string;
  /** Set while archived (migration 0012). */
  archived_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON: locale → {title?, description?, venue?} beside the default locale's text above (migration 0013, platform/localized.ts). */
  translations: ColumnType<string, string | undefined, string>;
}

export interface PerformancesTable {
  id: string;
  event_id: string;
  starts_at: string;
  sales_close_at: string;
  sales_paused: number;
  created_at: string;
  archived_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TicketTypesTable {
  id: string;
  event_id: string;
  name: string;
  price: number;
  capacity: number; // per performance
  min_per_order: number;
  max_per_order: number;
  position: number;
  archived_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON: locale → {name?} (migration 0013). */
  translations: ColumnType<string, string | undefined, string>;
}

export interface CartsTable {
  id: string;
  token_hash: string;
  organizer_id: string;
  event_id: string;
  performance_id: string;
  status: 'open' | 'completed';
  hold_started_at: string | null;
  hold_expires_at: string | null;
  buyer_email: string | null;
  buyer_name: string | null;
  buyer_phone: string | null;
  email_captured_at: string | null;
  consent: number;
  consent_mode: 'opt-in' | 'notice';
  consent_text: string | null;
  consent_at: string | null;
  locale: string;
  page_url: string | null;
  created_at: string;
  last_activity_at: string;
  completed_at: string | null;
  order_id: string | null;
  abandoned_at: string | null;
  resumed_series_id: string | null;
  resumed_step: number | null;
  /** Hash of the widget's device id that first redeemed a reminder link for this cart (migration 0028). */
  resume_device_hash: string | null;
  discount_code: string | null;
  pii_erased_at: string | null;
  buyer_answers: ColumnType<string | null, string | null | undefined, string | null>; // JSON: field id → answer
  /** Keyed hash of the address that made the cart (migration 0014); null when made with an API key. */
  client_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CartItemsTable {
  cart_id: string;
  ticket_type_id: string;
  quantity: number;
  unit_price: number;
}

export interface OrdersTable {
  id: string;
  number: string;
  organizer_id: string;
  event_id: string;
  performance_id: string;
  cart_id: string;
  buyer_email: string;
  buyer_name: string;
  buyer_phone: string | null;
  total: number;
  currency: string;
  /** See migration 0015 and payments/lifecycle.ts. */
  status: OrderStatus;
  /** `box_office`, `free`, or the online provider's id (payments/provider.ts). */
  payment_method: string;
  created_at: string;
  /** When a `pending_payment` order (migration 0015) or a `reserved` one (0021) expires unless paid; null: never. */
  expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  subtotal: number | null;
  discount_code: string | null;
  discount_amount: ColumnType<number, number | undefined, number>;
  recovered_series_id: string | null;
  recovered_via: 'link' | 'window' | null;
  buyer_answers: ColumnType<string | null, string | null | undefined, string | null>; // JSON: field id → answer
  /** Refunded or being refunded (pending refunds count): at most `total` (migration 0020). */
  refunded_amount: ColumnType<number, number | undefined, number>;
  /** buyer_name folded for search (sales/orders-db.ts nameKey; migration 0025); set by insertOrder. */
  buyer_name_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** SHA-256 (hex) of the order page's token (migration 0023, tickets/order-access.ts); null until one is made. */
  access_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

export type OrderStatus = 'pending_payment' | 'reserved' | 'paid' | 'expired' | 'cancelled' | 'refunded';

/** One payment attempt for an order (migration 0015). */
export interface PaymentsTable {
  id: string;
  order_id: string;
  provider: string;
  /** The provider's id, known once the payment is started there. */
  provider_payment_id: string | null;
  /** Where the buyer pays, as the provider answered. */
  redirect_url: string | null;
  amount: number;
  currency: string;
  /** `refund_due`: the money arrived after the seats were gone; it must go back. */
  /** `refunding`: the refund job took a `refund_due` payment and its refund is under way (refunds). */
  status: 'pending' | 'succeeded' | 'declined' | 'refund_due' | 'refunding' | 'refunded';
  /** Sent as the provider's idempotence key when starting the payment. */
  idempotency_key: string;
  created_at: string;
  updated_at: string;
  /** When reconciliation next asks the provider about a started `pending` payment; null: not started, or no longer asked (migration 0021). */
  next_check_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One refund of an order (migration 0020): `pending` until the provider took it, then `succeeded`, or `failed` for good. */
export interface RefundsTable {
  id: string;
  order_id: string;
  /** The payment refunded; null for money handed back at the desk. */
  payment_id: string | null;
  /** The payment's provider, or `box_office`. */
  provider: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string | null;
  /** Who asked for it: a console user's email, `api key: <name>`, or `system`. */
  actor: string;
  /** Sent to the provider with every attempt, so a retried refund is one refund. */
  idempotency_key: string;
  attempts: ColumnType<number, number | undefined, number>;
  /** A pending refund is retried by the recovery loop from then on. */
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** An order's history (migration 0020): who did what, when. */
export interface OrderEventsTable {
  id: Generated<number>;
  order_id: string;
  at: string;
  /** A console user's email, `api key: <name>`, `buyer`, `system`, or a payment provider's id. */
  actor: string;
  action: string;
  /** JSON. */
  details: string | null;
}

export interface TicketsTable {
  id: string;
  order_id: string;
  performance_id: string;
  ticket_type_id: string;
  code: string;
  price: number;
  created_at: string;
}

/** A ticket admitted at the door (migration 0024, server/checkin/): at most one row per ticket. */
export interface CheckinsTable {
  ticket_id: string;
  performance_id: string;
  /** When it was scanned; a device that was offline sends its own time. */
  scanned_at: string;
  recorded_at: string;
  /** A console user's email or `api key: <name>`. */
  actor: string;
  device_id: string | null;
}

export interface IdempotencyKeysTable {
  cart_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: string;
  created_at: string;
}

export interface SuppressionsTable {
  organizer_id: string;
  email_hash: string;
  reason: 'unsubscribe' | 'complaint' | 'bounce';
  created_at: string;
}

export interface ReminderSeriesTable {
  id: string;
  organizer_id: string;
  event_id: string;
  performance_id: string;
  cart_id: string;
  email: string | null;
  email_hash: string;
  locale: string;
  abandoned_at: string;
  status: 'active' | 'stopped' | 'finished';
  stop_reason: string | null;
  expires_at: string;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  kind: 'reminder';
  dedupe_key: string;
  organizer_id: string;
  series_id: string | null;
  /** The series' performance, so the stats count a performance's reminders without a join. */
  performance_id: string | null;
  step: number | null;
  /** When it is due; after a failed try, when it is tried again (its job's run_at). */
  due_at: string;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  /** Tries so far (its `reminder` job's attempts, migration 0022). */
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface ReminderClicksTable {
  id: string;
  series_id: string;
  /** The series' performance, as on outbox rows. */
  performance_id: string;
  step: number;
  clicked_at: string;
}

export interface DiscountsTable {
  id: string;
  organizer_id: string;
  /** Upper case; unique per organizer. */
  code: string;
  kind: 'percent' | 'amount';
  value: number;
  /** An amount code's currency; null for percent. */
  currency: string | null;
  event_id: string | null;
  performance_id: string | null;
  /** null: no limit. */
  max_uses: number | null;
  used_count: ColumnType<number, number | undefined, number>;
  starts_at: string | null;
  expires_at: string | null;
  active: ColumnType<number, number | undefined, number>;
  note: string | null;
  /** A reminder's code: its series and step. */
  series_id: string | null;
  step: number | null;
  created_at: string;
}

export interface InstanceSecretsTable {
  name: string;
  value: string;
}

export interface WebhookEndpointsTable {
  id: string;
  organizer_id: string;
  url: string;
  secret: string;
  events: string; // JSON array of event types
  active: number;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  organizer_id: string;
  event_type: string;
  event_id: string;
  payload: string; // JSON text, sent as is
  dedupe_key: string;
  status: 'pending' | 'delivered' | 'failed';
  /** Tries so far (its `webhook` job's attempts, migration 0022). */
  attempts: number;
  /** When it is (next) tried. */
  due_at: string;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface OrganizerUsersTable {
  id: string;
  organizer_id: string;
  email: string; // lower-cased
  password_hash: string; // see console/passwords.ts
  name: string;
  locale: string;
  created_at: string;
  /** What the user may do in the console (migration 0018, console/routes/roles.ts). */
  role: ConsoleRole;
}

export type ConsoleRole = 'owner' | 'box_office';

export interface SessionsTable {
  id_hash: string; // sha256 of the cookie value
  user_id: string;
  organizer_id: string;
  csrf_token: string;
  expires_at: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  organizer_id: string;
  name: string;
  prefix: string;
  key_hash: string; // sha256 of the key
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** JSON list of ApiKeyScope (migration 0029). */
  scopes: string;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Widget renders per event per UTC day ('YYYY-MM-DD'). */
export interface WidgetViewsTable {
  event_id: string;
  day: string;
  views: number;
}

/** Seats per performance and ticket type: sold tickets and seats in counted holds (sales/inventory.ts). */
export interface InventoryTable {
  performance_id: string;
  ticket_type_id: string;
  sold: number;
  held: number;
}

/** A cart's counted hold, one row per ticket type, until released or replaced. */
export interface HoldsTable {
  cart_id: string;
  ticket_type_id: string;
  performance_id: string;
  quantity: number;
  expires_at: string;
}

/** A site refused for an organizer (migration 0011): the most recent few per organizer. */
export interface RefusedOriginsTable {
  organizer_id: string;
  origin: string;
  count: number;
  last_seen_at: string;
}

/** Cart creations and checkouts per client and fixed window (migration 0014). */
/** One counted use of a limited action (platform/http/rate-events-db.ts). */
export interface RateEventsTable {
  /** What is limited: 'sign-in failures', 'scans', 'previews', … */
  scope: string;
  /** Who: an email, organizer, organizer and person. */
  key: string;
  at: string;
}

export interface ClientRatesTable {
  client_hash: string;
  /** Unix seconds at the window's start. */
  window_start: number;
  count: number;
}

/** What the job queue runs (migration 0022, platform/jobs/runner.ts); each kind has its own handler. */
export type JobKind = 'reminder' | 'order_mail' | 'webhook';

/** A job of the one leased queue (migration 0022, platform/jobs/jobs-db.ts). */
export interface JobsTable {
  id: string;
  kind: JobKind;
  /** Unique per kind: queueing the same key again queues nothing. */
  dedupe_key: string | null;
  payload: string; // JSON
  status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
  /** When it is due: first, then after each retry's backoff. */
  run_at: string;
  /** Claims so far (a claim handed back untried does not count). */
  attempts: number;
  /** The claim's fence: only the worker holding this token may mark the job. */
  lease_token: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface Database {
  organizers: OrganizersTable;
  events: EventsTable;
  performances: PerformancesTable;
  ticket_types: TicketTypesTable;
  carts: CartsTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  tickets: TicketsTable;
  checkins: CheckinsTable;
  idempotency_keys: IdempotencyKeysTable;
  suppressions: SuppressionsTable;
  reminder_series: ReminderSeriesTable;
  outbox: OutboxTable;
  reminder_clicks: ReminderClicksTable;
  discounts: DiscountsTable;
  instance_secrets: InstanceSecretsTable;
  organizer_users: OrganizerUsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  password_resets: PasswordResetsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  jobs: JobsTable;
  widget_views: WidgetViewsTable;
  inventory: InventoryTable;
  holds: HoldsTable;
  refused_origins: RefusedOriginsTable;
  client_rates: ClientRatesTable;
  rate_events: RateEventsTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  order_events: OrderEventsTable;
}
