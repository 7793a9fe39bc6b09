// Promo codes: one kind of discount code for the organizer's own codes (typed by buyers, many
// uses, per event or performance, valid from/until) and the single-use codes reminders carry.
// `discounts` was reminders' only; it is rebuilt with an id, a per-organizer unique code, a
// scope, a use limit and a use counter (a reminder code: limit 1, scoped to its event).
// `used_order_id` goes: an order names its code (orders.discount_code), and a code's uses are
// counted, taken by a conditional update (used_count < max_uses) and given back once when an
// order ends unpaid. Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // PostgreSQL names constraints in one namespace with tables: the old table's gives way.
  if (isPostgres(db)) await sql`alter table discounts rename constraint discounts_one_per_step to discounts_old_one_per_step`.execute(db);
  await db.schema
    .createTable('discounts_v2')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    // Upper case, as buyers' input is normalised to before it is looked up.
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull().check(sql`value > 0`))
    // An amount code's currency (it applies only to events priced in it); null for percent codes.
    .addColumn('currency', 'text')
    .addColumn('event_id', 'text')
    .addColumn('performance_id', 'text')
    .addColumn('max_uses', 'integer')
    .addColumn('used_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`used_count >= 0`))
    .addColumn('starts_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('note', 'text')
    // Set for a reminder's code: the series and step it was made for.
    .addColumn('series_id', 'text', (c) => c.references('reminder_series.id'))
    .addColumn('step', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('discounts_organizer_code', ['organizer_id', 'code'])
    .addUniqueConstraint('discounts_one_per_step', ['series_id', 'step'])
    .execute();
  await sql`
    insert into discounts_v2 (id, organizer_id, code, kind, value, currency, event_id, performance_id, max_uses, used_count,
                              starts_at, expires_at, active, note, series_id, step, created_at)
    select d.code, d.organizer_id, d.code, d.kind, d.value,
           case d.kind when 'amount' then e.currency end, s.event_id, null, 1,
           case when d.used_order_id is null then 0 else 1 end,
           null, d.expires_at, 1, null, d.series_id, d.step, d.created_at
    from discounts d
    join reminder_series s on s.id = d.series_id
    join events e on e.id = s.event_id
  `.execute(db);
  await db.schema.dropTable('discounts').execute();
  await sql`alter table discounts_v2 rename to discounts`.execute(db);
  // The organizer's own codes (reminders' grow with history and stay out): the console's list,
  // newest first, and the widget's "does this event have codes" question.
  await db.schema
    .createIndex('discounts_promo_codes')
    .on('discounts')
    .columns(['organizer_id', 'created_at', 'id'])
    .where(sql.ref('series_id'), 'is', null)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The promo codes migration is not reversible');
}
