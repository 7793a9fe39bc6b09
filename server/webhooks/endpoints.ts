// The organizer's webhook endpoints: where they may point, their secrets, and the console's
// operations on them. Every operation is scoped by organizer; another organizer's id is "not found".
import { randomBytes } from 'node:crypto';
import type { WebhookEndpointInput, WebhookEndpointPatch } from '../contracts/widget.ts';
import {
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  updateWebhookEndpoint,
  type WebhookEndpointRow,
} from './webhooks-db.ts';
import { isLocalHost } from './address-guard.ts';
import { rateLimit } from '../platform/http/rate-limit.ts';
import { lockName } from '../platform/db/locks.ts';
import { DomainError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Store } from '../store.ts';
import { emitWebhook } from './events.ts';

export const MAX_ENDPOINTS_PER_ORGANIZER = 20;

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Webhooks are requests our server makes to an address the organizer typed, from inside the
 * network that hosts Encore. Left open, that is SSRF: a URL could reach internal services or
 * the cloud metadata endpoint. So: https only, no internal addresses, no credentials in the URL;
 * plain http to this machine only when `allowLoopback` is set (tests and the demo). A public
 * name that resolves to an internal address is refused where each delivery connects.
 */
export function checkWebhookUrl(raw: string, allowLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError('VALIDATION', 'Enter a full URL, such as https://crm.example.com/encore', 'url');
  }
  const host = url.hostname.toLowerCase();
  const loopback = LOOPBACK.has(host.replace(/\.$/, ''));
  if (url.username || url.password) throw new DomainError('VALIDATION', 'The URL must not contain a user name or password', 'url');
  if (loopback && allowLoopback && (url.protocol === 'http:' || url.protocol === 'https:')) return url.href;
  if (url.protocol !== 'https:') throw new DomainError('VALIDATION', 'Webhook URLs must use https://', 'url');
  // Names are checked again where each delivery connects, after their lookup (address-guard.ts).
  if (loopback || isLocalHost(host)) {
    throw new DomainError('VALIDATION', 'Webhook URLs must point to a public address', 'url');
  }
  return url.href;
}

const maskSecret = (secret: string) => `whsec_…${secret.slice(-4)}`;

export function endpointView(row: WebhookEndpointRow, o: { revealSecret?: boolean } = {}) {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    active: row.active === 1,
    secret: o.revealSecret ? row.secret : maskSecret(row.secret),
    createdAt: row.created_at,
  };
}

async function mustFind(store: Store, organizerId: string, id: string) {
  const row = await findWebhookEndpoint(store.db, organizerId, id);
  if (!row) throw new DomainError('NOT_FOUND', 'No such webhook endpoint');
  return row;
}

/** Test events per organizer per hour: enough to debug a receiver, not to make us a request cannon. */
export const TEST_SENDS_PER_HOUR = 20;

export function webhookEndpoints(store: Store, o: { allowLoopback: boolean }) {
  const testSends = rateLimit(store, { max: TEST_SENDS_PER_HOUR, windowMs: 60 * 60_000, what: 'webhook test events' });
  return {
    async list(organizerId: string) {
      return (await listWebhookEndpoints(store.db, organizerId)).map((r) => endpointView(r));
    },

    async create(organizerId: string, input: WebhookEndpointInput) {
      const url = checkWebhookUrl(input.url, o.allowLoopback);
      return store.tx(async (trx) => {
        // Counted under a lock, so two creations at once cannot both pass the cap.
        await lockName(trx, 'webhook-endpoints', organizerId);
        if ((await listWebhookEndpoints(trx, organizerId)).length >= MAX_ENDPOINTS_PER_ORGANIZER) {
          throw new DomainError('VALIDATION', `At most ${MAX_ENDPOINTS_PER_ORGANIZER} webhook endpoints`, 'url');
        }
        const row: WebhookEndpointRow = {
          id: newId('whe'),
          organizer_id: organizerId,
          url,
          secret: newWebhookSecret(),
          events: JSON.stringify([...new Set(input.events)]),
          active: 1,
          created_at: store.now().toISOString(),
        };
        await insertWebhookEndpoint(trx, row);
        return endpointView(row, { revealSecret: true });
      });
    },

    async update(organizerId: string, id: string, patch: WebhookEndpointPatch) {
      await mustFind(store, organizerId, id);
      await updateWebhookEndpoint(store.db, organizerId, id, {
        ...(patch.url !== undefined ? { url: checkWebhookUrl(patch.url, o.allowLoopback) } : {}),
        ...(patch.events !== undefined ? { events: JSON.stringify([...new Set(patch.events)]) } : {}),
        ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      });
      return endpointView(await mustFind(store, organizerId, id));
    },

    async remove(organizerId: string, id: string) {
      const deleted = await store.tx((trx) => deleteWebhookEndpoint(trx, organizerId, id));
      if (!deleted) throw new DomainError('NOT_FOUND', 'No such webhook endpoint');
    },

    async revealSecret(organizerId: string, id: string) {
      return { secret: (await mustFind(store, organizerId, id)).secret };
    },

    /** The old secret stops working at once: pending retries are signed with the new one. */
    async rotateSecret(organizerId: string, id: string) {
      await mustFind(store, organizerId, id);
      const secret = newWebhookSecret();
      await updateWebhookEndpoint(store.db, organizerId, id, { secret });
      return { secret };
    },

    async deliveries(organizerId: string, id: string, limit: number) {
      await mustFind(store, organizerId, id);
      const rows = await listWebhookDeliveries(store.db, organizerId, id, limit);
      return rows.map((r) => ({
        id: r.id,
        eventId: r.event_id,
        type: r.event_type,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        lastError: r.last_error,
        createdAt: r.created_at,
        nextAttemptAt: r.status === 'pending' ? r.due_at : null,
        deliveredAt: r.delivered_at,
      }));
    },

    /** Queues a `webhook.test` event for this endpoint alone; the worker sends it on its next round. */
    async sendTest(organizerId: string, id: string) {
      const endpoint = await mustFind(store, organizerId, id);
      if (!endpoint.active) throw new DomainError('VALIDATION', 'Turn the endpoint on before testing it', 'active');
      const now = store.now();
      await testSends.take(organizerId, now);
      const eventId = await store.tx((trx) =>
        emitWebhook(trx, {
          organizerId,
          endpointId: id,
          type: 'webhook.test',
          data: { message: 'A test event from Encore' },
          dedupe: `webhook.test:${newId('t')}`,
          now,
        }),
      );
      return { eventId };
    },
  };
}
