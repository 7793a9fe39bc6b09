// Retention erases a buyer's details for good: from the cart, the reminder series and the stored
// cart.abandoned webhook payload, and — on SQLite — from the bytes on disk (secure_delete zeroes
// what is freed, and the WAL is checkpointed and truncated after an erasure round).
import { readFileSync, existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { newWebhookSecret } from '../../server/webhooks/endpoints.ts';
import { testEngine } from '../support/databases.ts';
import { recoveryWorld } from '../support/recovery-world.ts';

const EMAIL = 'erase-me-7f3a91@example.com';
const NAME = 'Zinaida Erasova';
const PHONE = '+7 912 000-73-91';

test('after retention the address is gone from the cart, the series and the webhook payload; on SQLite from the files too', async () => {
  const w = await recoveryWorld({ startsInDays: 60 });
  await w.db
    .insertInto('webhook_endpoints')
    .values({
      id: 'whe_crm',
      organizer_id: w.organizerId,
      url: 'https://crm.example.com/hook',
      secret: newWebhookSecret(),
      events: '["cart.abandoned"]',
      active: 1,
      created_at: w.clock.now().toISOString(),
    })
    .execute();
  const left = await w.leaveCart({ email: EMAIL, consent: true });
  await w.call('PATCH', `/api/v1/carts/${left.id}`, { buyer: { name: NAME, phone: PHONE } }, left.auth);
  await w.after(31);
  const payload = async () =>
    (await w.db.selectFrom('webhook_deliveries').select('payload').where('event_type', '=', 'cart.abandoned').executeTakeFirstOrThrow()).payload;
  expect(JSON.parse(await payload()).data.email).toBe(EMAIL);

  await w.after(60 * 24 * 31);
  const cart = await w.db.selectFrom('carts').selectAll().where('id', '=', left.id).executeTakeFirstOrThrow();
  expect(cart).toMatchObject({ buyer_email: null, buyer_name: null, buyer_phone: null });
  const scrubbed = JSON.parse(await payload());
  expect(scrubbed.data.email).toBeUndefined();
  expect(scrubbed.data).toMatchObject({ cartId: left.id, hasEmail: true, erased: true });

  if (testEngine === 'sqlite') {
    await w.jobs.stop?.();
    for (const file of [w.path, `${w.path}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      for (const secret of [EMAIL, NAME, PHONE]) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
  }
});
