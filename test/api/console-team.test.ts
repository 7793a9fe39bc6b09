// The organizer's people, managed by its owners: add a cashier with a first password, change a
// role, remove someone (their session ends at once, answering 401, never 500). An organizer
// always keeps an owner. The box office cannot reach any of it; another organizer's people are 404.
import { expect, test } from 'vitest';
import { consoleWorld } from '../support/console-world.ts';

async function team() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const owner = await w.signIn(a.email, a.password);
  return { w, a, owner };
}

test('an owner adds a cashier, who signs in as box office and cannot manage people', async () => {
  const { w, a, owner } = await team();
  const listed = await owner.client('GET', '/users');
  expect(listed.body.users).toEqual([expect.objectContaining({ email: a.email, role: 'owner', you: true })]);

  const added = await owner.client('POST', '/users', { email: 'Cashier@Riverside.example', name: 'Касса', password: 'cashier-password-1', role: 'box_office' });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  expect(added.body).toMatchObject({ email: 'cashier@riverside.example', role: 'box_office', you: false });
  expect(
    (await owner.client('POST', '/users', { email: 'cashier@riverside.example', name: 'X', password: 'another-password', role: 'owner' })).body.error,
  ).toMatchObject({
    code: 'VALIDATION',
    field: 'email',
  });
  expect((await owner.client('POST', '/users', { email: 'short@riverside.example', name: 'X', password: 'short', role: 'owner' })).body.error).toMatchObject({
    field: 'password',
  });
  expect(
    (await owner.client('POST', '/users', { email: 'x@riverside.example', name: 'X', password: 'long-enough-pass', role: 'admin' })).body.error,
  ).toMatchObject({
    field: 'role',
  });

  const cashier = await w.signIn('cashier@riverside.example', 'cashier-password-1');
  expect(cashier.session.user.role).toBe('box_office');
  expect((await cashier.client('GET', '/users')).status).toBe(403);
  expect((await cashier.client('POST', '/users', { email: 'y@riverside.example', name: 'Y', password: 'long-enough-pass', role: 'owner' })).status).toBe(403);
  expect((await cashier.client('GET', '/orders')).status).toBe(200);
});

test('a role change applies at the next request; the last owner can be neither demoted nor removed', async () => {
  const { w, a, owner } = await team();
  const me = (await owner.client('GET', '/users')).body.users[0];
  expect((await owner.client('PATCH', `/users/${me.id}`, { role: 'box_office' })).body.error).toMatchObject({ code: 'LAST_OWNER', field: 'role' });
  expect((await owner.client('DELETE', `/users/${me.id}`)).body.error).toMatchObject({ code: 'LAST_OWNER' });

  const second = await owner.client('POST', '/users', { email: 'deputy@riverside.example', name: 'Deputy', password: 'deputy-password-1', role: 'box_office' });
  const deputy = await w.signIn('deputy@riverside.example', 'deputy-password-1');
  expect((await deputy.client('GET', '/settings')).status).toBe(403);
  const promoted = await owner.client('PATCH', `/users/${second.body.id}`, { role: 'owner' });
  expect(promoted.body.users.map((u: { role: string }) => u.role)).toEqual(['owner', 'owner']);
  // The same session, a new role.
  expect((await deputy.client('GET', '/settings')).status).toBe(200);
  // With two owners, one may step down; then the other is the last.
  expect((await owner.client('PATCH', `/users/${me.id}`, { role: 'box_office' })).status).toBe(200);
  expect((await deputy.client('PATCH', `/users/${second.body.id}`, { role: 'box_office' })).body.error).toMatchObject({ code: 'LAST_OWNER' });
  expect(a.email).toBe(me.email);
});

test("a removed person's session ends at once (401, not 500); nobody removes themselves", async () => {
  const { w, owner } = await team();
  const added = await owner.client('POST', '/users', { email: 'leaver@riverside.example', name: 'Leaver', password: 'leaver-password-1', role: 'owner' });
  const leaver = await w.signIn('leaver@riverside.example', 'leaver-password-1');
  expect((await leaver.client('GET', '/me')).status).toBe(200);
  expect((await leaver.client('DELETE', `/users/${added.body.id}`)).body.error).toMatchObject({ code: 'LAST_OWNER' });
  expect((await owner.client('DELETE', `/users/${added.body.id}`)).status).toBe(204);
  expect((await leaver.client('GET', '/me')).status).toBe(401);
  expect((await leaver.client('GET', '/orders')).status).toBe(401);
  expect((await w.request('POST', '/api/console/v1/session', { email: 'leaver@riverside.example', password: 'leaver-password-1' })).status).toBe(401);
});

test("another organizer's people are not there: listed apart, 404 to change or remove", async () => {
  const { w, owner } = await team();
  const added = await owner.client('POST', '/users', { email: 'mine@riverside.example', name: 'Mine', password: 'mine-password-1', role: 'box_office' });
  const b = await w.organizer('Elsewhere');
  const other = await w.signIn(b.email, b.password);
  expect((await other.client('GET', '/users')).body.users.map((u: { email: string }) => u.email)).toEqual([b.email]);
  expect((await other.client('PATCH', `/users/${added.body.id}`, { role: 'owner' })).status).toBe(404);
  expect((await other.client('DELETE', `/users/${added.body.id}`)).status).toBe(404);
  expect((await owner.client('GET', '/users')).body.users).toHaveLength(2);
});

// PostgreSQL runs the two requests' transactions side by side: without the team lock both count
// two owners and both go (seen: no owner left within a few rounds). SQLite's write lock orders them.
test('two owners removing each other at once leave one; two demoting each other at once leave one', async () => {
  const w = await consoleWorld();
  for (let round = 0; round < 10; round++) {
    const a = await w.organizer(`Rivals ${round}`);
    const first = await w.signIn(a.email, a.password);
    const added = await first.client('POST', '/users', {
      email: `second${round}@rivals.example`,
      name: 'Second',
      password: 'second-password-1',
      role: 'owner',
    });
    const second = await w.signIn(`second${round}@rivals.example`, 'second-password-1');
    const firstId = (await first.client('GET', '/users')).body.users.find((u: { you: boolean }) => u.you).id;
    const [x, y] =
      round % 2 === 0
        ? await Promise.all([first.client('DELETE', `/users/${added.body.id}`), second.client('DELETE', `/users/${firstId}`)])
        : await Promise.all([
            first.client('PATCH', `/users/${added.body.id}`, { role: 'box_office' }),
            second.client('PATCH', `/users/${firstId}`, { role: 'box_office' }),
          ]);
    const owners = await w.db.selectFrom('organizer_users').select('id').where('organizer_id', '=', a.organizerId).where('role', '=', 'owner').execute();
    expect(owners, `round ${round}: ${x.status} ${y.status}`).toHaveLength(1);
    expect([x.status, y.status].sort(), `round ${round}`).toEqual(round % 2 === 0 ? [204, expect.any(Number)] : [200, 409]);
  }
});
