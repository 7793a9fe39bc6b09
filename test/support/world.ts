// A fresh world per test file: its own database (SQLite, or PostgreSQL: support/databases.ts), an app built from it, a movable clock,
// and a small event to sell.
import { createApp } from '../../server/app.ts';
import type { Db, WriteTransaction } from '../../server/platform/db/database.ts';
import { freshDatabase } from './databases.ts';
import { newId } from '../../server/platform/ids.ts';

export const SITE = 'https://theatre.example';

export class Clock {
  constructor(public current = new Date('2026-12-01T09:00:00.000Z')) {}
  now = () => new Date(this.current);
  advance(minutes: number) {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

export { freshDatabase } from './databases.ts';

export interface EventOptions {
  slug?: string;
  capacity?: number;
  price?: number;
  maxPerOrder?: number;
  startsInDays?: number;
  settings?: Record<string, unknown>;
  origins?: string[];
}

/** An organizer, an event with one performance and two ticket types (standard + free). */
export async function makeEvent(db: Db, now: Date, o: EventOptions = {}) {
  const organizerId = newId('org');
  const slug = o.slug ?? `ev-${Math.random().toString(36).slice(2, 8)}`;
  await db
    .insertInto('organizers')
    .values({
      id: organizerId,
      slug: `org-${slug}`,
      name: 'Test Theatre',
      email: `${slug}@organizer.example`,
      allowed_origins: JSON.stringify(o.origins ?? [SITE]),
      settings: JSON.stringify(o.settings ?? {}),
      created_at: now.toISOString(),
    })
    .execute();
  const eventId = newId('evt');
  await db
    .insertInto('events')
    .values({
      id: eventId,
      organizer_id: organizerId,
      slug,
      title: 'Hamlet',
      description: 'A play',
      venue: 'Main stage',
      time_zone: 'Europe/Moscow',
      currency: 'RUB',
      created_at: now.toISOString(),
    })
    .execute();
  const startsAt = new Date(now.getTime() + (o.startsInDays ?? 3) * 86_400_000);
  const performanceId = newId('prf');
  await db
    .insertInto('performances')
    .values({
      id: performanceId,
      event_id: eventId,
      starts_at: startsAt.toISOString(),
      sales_close_at: new Date(startsAt.getTime() - 30 * 60_000).toISOString(),
      sales_paused: 0,
      created_at: now.toISOString(),
    })
    .execute();
  const standard = newId('tt');
  const free = newId('tt');
  await db
    .insertInto('ticket_types')
    .values([
      {
        id: standard,
        event_id: eventId,
        name: 'Stalls',
        price: o.price ?? 150000,
        capacity: o.capacity ?? 10,
        min_per_order: 1,
        max_per_order: o.maxPerOrder ?? 6,
        position: 0,
      },
      { id: free, event_id: eventId, name: 'Open rehearsal', price: 0, capacity: 5, min_per_order: 1, max_per_order: 4, position: 1 },
    ])
    .execute();
  return { organizerId, eventId, slug, performanceId, standard, free, startsAt };
}

export async function world(options: EventOptions & { tx?: (db: Db) => WriteTransaction } = {}) {
  const clock = new Clock();
  const { db, path } = await freshDatabase();
  const fixture = await makeEvent(db, clock.now(), options);
  const logs: string[] = [];
  const app = createApp({ db, now: clock.now, tx: options.tx?.(db), log: (l) => logs.push(l) });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  return { db, path, clock, app, call, logs, ...fixture };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
