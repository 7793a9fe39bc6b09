// The demo theatre: one organizer with three events, performances a few days ahead of `now`;
// names in Russian (its default language) and English.
import type { Db } from '../platform/db/database.ts';
import { findOrganizerBySlug, findUserByEmail } from '../console/access-db.ts';
import { createUser } from '../console/accounts.ts';
import { newId } from '../platform/ids.ts';

const DAY = 86_400_000;

/** 19:00 in Moscow (UTC+3, no DST) `days` from now. */
function eveningIn(now: Date, days: number, hourMsk = 19): string {
  const d = new Date(now.getTime() + days * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hourMsk - 3)).toISOString();
}

export const DEMO_ORGANIZER_EMAIL = 'demo@encore.local';
/** Printed by `npm start`; a demo database is for trying things out on one's own machine. */
export const DEMO_PASSWORD = 'encore-demo-2026';

/** The demo console login, also added to demo databases seeded before the console existed. */
async function seedDemoUser(db: Db, now: Date): Promise<void> {
  const organizer = await findOrganizerBySlug(db, 'riverside');
  if (!organizer || (await findUserByEmail(db, DEMO_ORGANIZER_EMAIL))) return;
  await createUser(db, organizer.id, { email: DEMO_ORGANIZER_EMAIL, password: DEMO_PASSWORD, name: 'Demo', locale: 'ru' }, now);
}

/** `payments`: the demo theatre's online provider — the built-in demo payment page unless told otherwise. */
export async function seedDemo(db: Db, now: Date, siteOrigins: string[], o: { payments?: 'demo' | null } = {}): Promise<boolean> {
  const provider = o.payments === undefined ? 'demo' : o.payments;
  const existing = await db.selectFrom('organizers').select('id').executeTakeFirst();
  if (existing) {
    await seedDemoUser(db, now);
    return false;
  }
  const created_at = now.toISOString();
  const organizerId = newId('org');
  await db
    .insertInto('organizers')
    .values({
      id: organizerId,
      slug: 'riverside',
      name: 'Театр на набережной',
      email: DEMO_ORGANIZER_EMAIL,
      allowed_origins: JSON.stringify(siteOrigins),
      settings: JSON.stringify({
        accentColor: '#8b1e3f',
        supportEmail: 'boxoffice@riverside-theatre.example',
        supportPhone: '+7 495 123-45-67',
        ...(provider && { payments: { provider, timeoutMinutes: 20 } }),
        // Short delays and no quiet hours so a newcomer sees a reminder in /mail within ~10
        // minutes of leaving a cart; organizers' defaults are 30 min, then 1 h / 24 h / 72 h.
        recovery: {
          abandonAfterMinutes: 5,
          steps: [{ delayMinutes: 5 }, { delayMinutes: 24 * 60 }, { delayMinutes: 72 * 60, discount: { kind: 'percent', value: 10, validDays: 2 } }],
          quietHours: null,
        },
      }),
      created_at,
    })
    .execute();

  const events = [
    {
      slug: 'hamlet',
      title: 'Гамлет',
      description: 'Трагедия Уильяма Шекспира в новом переводе. 3 часа с антрактом.',
      en: { title: 'Hamlet', description: 'William Shakespeare’s tragedy in a new translation. 3 hours with an interval.' },
      days: [3, 10, 17],
      types: [
        { name: 'Партер', en: 'Stalls', price: 250000, capacity: 120 },
        { name: 'Балкон', en: 'Balcony', price: 120000, capacity: 60 },
        { name: 'Студенческий', en: 'Student', price: 60000, capacity: 20, max: 2 },
      ],
    },
    {
      slug: 'seagull',
      title: 'Чайка',
      description: 'Комедия А. П. Чехова в четырёх действиях.',
      en: { title: 'The Seagull', description: 'A comedy in four acts by Anton Chekhov.' },
      days: [5, 12],
      types: [
        { name: 'Партер', en: 'Stalls', price: 200000, capacity: 80 },
        { name: 'Балкон', en: 'Balcony', price: 90000, capacity: 40 },
      ],
    },
    {
      slug: 'open-rehearsal',
      title: 'Открытая репетиция',
      description: 'Вход свободный по регистрации.',
      en: { title: 'Open rehearsal', description: 'Free admission; please register.' },
      days: [7],
      types: [{ name: 'Вход', en: 'Admission', price: 0, capacity: 50, max: 4 }],
    },
  ];

  for (const e of events) {
    const eventId = newId('evt');
    await db
      .insertInto('events')
      .values({
        id: eventId,
        organizer_id: organizerId,
        slug: e.slug,
        title: e.title,
        description: e.description,
        venue: 'Основная сцена, наб. Реки, 12',
        time_zone: 'Europe/Moscow',
        currency: 'RUB',
        // English visitors (data-encore-locale="en", or an English browser) see these instead.
        translations: JSON.stringify({ en: { ...e.en, venue: 'Main Stage, 12 River Embankment' } }),
        created_at,
      })
      .execute();
    await db
      .insertInto('performances')
      .values(
        e.days.map((days) => {
          const startsAt = eveningIn(now, days);
          return {
            id: newId('prf'),
            event_id: eventId,
            starts_at: startsAt,
            sales_close_at: new Date(Date.parse(startsAt) - 30 * 60_000).toISOString(),
            sales_paused: 0,
            created_at,
          };
        }),
      )
      .execute();
    await db
      .insertInto('ticket_types')
      .values(
        e.types.map((t, position) => ({
          id: newId('tt'),
          event_id: eventId,
          name: t.name,
          price: t.price,
          capacity: t.capacity,
          min_per_order: 1,
          max_per_order: t.max ?? 10,
          position,
          translations: JSON.stringify({ en: { name: t.en } }),
        })),
      )
      .execute();
  }
  await seedDemoUser(db, now);
  return true;
}
