// /api/console/v1/users — the organizer's people (owners only; the roles middleware refuses the
// box office): listed, added with a first password and a role, their role changed, removed.
import { Hono } from 'hono';
import { addMemberInput, changeRoleInput } from '../../contracts/console.ts';
import { addMember, changeRole, removeMember, teamMembers } from '../accounts.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

export function consoleUsersApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => c.json({ users: await teamMembers(store.db, c.var.organizerId, c.var.userId) }));

  app.post('/', async (c) => {
    const input = await readJson(c, addMemberInput);
    return c.json(await addMember(store.db, c.var.organizerId, input, store.now()), 201);
  });

  app.patch('/:id', async (c) => {
    const { role } = await readJson(c, changeRoleInput);
    await store.tx((trx) => changeRole(trx, c.var.organizerId, c.req.param('id'), role));
    return c.json({ users: await teamMembers(store.db, c.var.organizerId, c.var.userId) });
  });

  app.delete('/:id', async (c) => {
    await store.tx((trx) => removeMember(trx, c.var.organizerId, c.req.param('id'), c.var.userId));
    return c.body(null, 204);
  });

  return app;
}
