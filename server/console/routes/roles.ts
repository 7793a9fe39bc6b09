// What a `box_office` user may reach: their session, the orders, a read of the events (the
// orders' filters list them) and check-in at the door. Anything else is 403 FORBIDDEN: no
// catalogue changes, settings, API keys, webhooks, stats or recovery. Owners and API keys reach
// everything.
import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../../platform/errors.ts';
import type { ConsoleEnv } from '../env.ts';

const BOX_OFFICE: { methods: string[]; path: RegExp }[] = [
  { methods: ['GET', 'DELETE'], path: /^\/session$/ },
  { methods: ['GET'], path: /^\/me$/ },
  // Their own password and sessions.
  { methods: ['POST'], path: /^\/me\/password$/ },
  { methods: ['DELETE'], path: /^\/sessions$/ },
  { methods: ['GET'], path: /^\/orders(\.csv)?$/ },
  { methods: ['GET'], path: /^\/orders\/[^/]+(\/history)?$/ },
  // Refunds too: the desk hands money back (as in pretix, where box office staff may refund).
  { methods: ['POST'], path: /^\/orders\/[^/]+\/(mark-paid|cancel|refunds|resend)$/ },
  { methods: ['GET'], path: /^\/events(\/[^/]+)?$/ },
  // Check-in at the door (server/checkin/).
  { methods: ['POST'], path: /^\/check-in(\/undo)?$/ },
  { methods: ['GET'], path: /^\/performances\/[^/]+\/(check-in-list|check-in-counts|check-ins\.csv)$/ },
  { methods: ['GET'], path: /^\/events\/[^/]+\/check-in-counts$/ },
];

/** Where app.ts mounts the console API; paths are matched below it. */
const MOUNT = '/api/console/v1';

export function consoleRoles(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.var.role === 'box_office') {
      const full = c.req.path.replace(/\/$/, '');
      const path = full.startsWith(MOUNT) ? full.slice(MOUNT.length) : full;
      if (!BOX_OFFICE.some((r) => r.methods.includes(c.req.method) && r.path.test(path))) {
        throw new DomainError('FORBIDDEN', 'The box office role reaches orders only; ask an owner of this organizer');
      }
    }
    return next();
  };
}
