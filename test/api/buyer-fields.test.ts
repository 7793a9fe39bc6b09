// The organizer's extra buyer fields: a phone that may be required, and questions of their own.
import { describe, expect, test } from 'vitest';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { eraseExpiredBuyerDetails } from '../../server/recovery/retention.ts';
import { bearer, SITE, world } from '../support/world.ts';

const FIELDS = {
  phone: 'required',
  custom: [
    { id: 'seat', label: { ru: 'Пожелания по местам', en: 'Seating wishes' }, required: false },
    { id: 'heard', label: { ru: 'Откуда вы узнали о нас?', en: 'How did you hear of us?' }, required: true },
  ],
};

async function startCart(w: Awaited<ReturnType<typeof world>>, locale: 'ru' | 'en' = 'ru') {
  const created = await w.call(
    'POST',
    '/api/v1/carts',
    { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }], locale },
    { origin: SITE },
  );
  expect(created.status).toBe(201);
  const auth = { ...bearer(created.body.token), origin: SITE };
  const patch = (body: unknown) => w.call('PATCH', `/api/v1/carts/${created.body.id}`, body, auth);
  const checkout = () => w.call('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  await patch({ buyer: { email: 'anna@example.com', name: 'Anna' } });
  return { id: created.body.id as string, patch, checkout };
}

describe('buyer answers', () => {
  test('answers are stored on the cart by field id; an empty string clears one; unknown ids are a 400 naming them', async () => {
    const w = await world({ settings: { fields: FIELDS } });
    const cart = await startCart(w);
    let res = await cart.patch({ buyer: { answers: { seat: '  Aisle, please  ', heard: 'A friend' } } });
    expect(res.status).toBe(200);
    expect(res.body.buyer.answers).toEqual({ seat: 'Aisle, please', heard: 'A friend' });
    res = await cart.patch({ buyer: { answers: { seat: '' } } });
    expect(res.body.buyer.answers).toEqual({ heard: 'A friend' });

    res = await cart.patch({ buyer: { answers: { shoe_size: '42' } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'buyer.answers.shoe_size' });
    res = await cart.patch({ buyer: { answers: { heard: 'x'.repeat(501) } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'buyer.answers.heard' });
    res = await cart.patch({ buyer: { answers: { heard: 42 } } });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('buyer.answers.heard');
    // Nothing above changed what was stored.
    const row = await w.db.selectFrom('carts').select('buyer_answers').where('id', '=', cart.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.buyer_answers!)).toEqual({ heard: 'A friend' });
  });

  test('checkout asks for a required phone, then each required answer by its label in the cart locale', async () => {
    const w = await world({ settings: { fields: FIELDS } });
    const cart = await startCart(w);
    let res = await cart.checkout();
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'BUYER_REQUIRED', field: 'buyer.phone' });

    await cart.patch({ buyer: { phone: '+7 999 123-45-67', answers: { seat: 'Aisle' } } });
    res = await cart.checkout();
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'BUYER_REQUIRED', field: 'buyer.answers.heard' });
    expect(res.body.error.message).toContain('Откуда вы узнали о нас?');

    await cart.patch({ buyer: { answers: { heard: '<b>Афиша</b>' } } });
    res = await cart.checkout();
    expect(res.status).toBe(201);
    expect(res.body.order.buyer).toMatchObject({ phone: '+7 999 123-45-67', answers: { seat: 'Aisle', heard: '<b>Афиша</b>' } });
    const order = await w.db.selectFrom('orders').select('buyer_answers').executeTakeFirstOrThrow();
    expect(JSON.parse(order.buyer_answers!)).toEqual({ seat: 'Aisle', heard: '<b>Афиша</b>' });
  });

  test('the message names the label in English for an English cart; optional phone and questions do not block', async () => {
    const w = await world({ settings: { fields: FIELDS } });
    const cart = await startCart(w, 'en');
    await cart.patch({ buyer: { phone: '+44 20 7946 0000' } });
    const res = await cart.checkout();
    expect(res.body.error.message).toContain('How did you hear of us?');

    const relaxed = await world({ settings: { fields: { phone: 'optional', custom: [{ ...FIELDS.custom[1], required: false }] } } });
    const easy = await startCart(relaxed);
    const done = await easy.checkout();
    expect(done.status).toBe(201);
    expect(done.body.order.buyer).toMatchObject({ phone: null, answers: {} });
  });

  test('an order keeps only answers to questions still asked at checkout', async () => {
    const w = await world({ settings: { fields: FIELDS } });
    const cart = await startCart(w);
    await cart.patch({ buyer: { phone: '+7 999 123-45-67', answers: { seat: 'Aisle', heard: 'Radio' } } });
    await w.db
      .updateTable('organizers')
      .set({ settings: JSON.stringify({ fields: { custom: [FIELDS.custom[1]] } }) })
      .where('id', '=', w.organizerId)
      .execute();
    const res = await cart.checkout();
    expect(res.status).toBe(201);
    expect(res.body.order.buyer.answers).toEqual({ heard: 'Radio' });
  });

  test('retention erases the answers of carts that never became orders, with the other buyer details', async () => {
    const w = await world({ settings: { fields: FIELDS } });
    const left = await startCart(w);
    await left.patch({ buyer: { answers: { heard: 'A friend' } } });
    w.clock.advance(60 * 24 * 31);
    const erased = await eraseExpiredBuyerDetails({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now });
    expect(erased).toBe(1);
    const row = await w.db.selectFrom('carts').selectAll().where('id', '=', left.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ buyer_email: null, buyer_name: null, buyer_answers: null });
  });
});
