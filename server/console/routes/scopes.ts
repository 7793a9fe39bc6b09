// What an API key may reach: each key carries scopes (contracts/console.ts API_KEY_SCOPES), and
// every console route needs one of them. A key without `admin` cannot make keys or manage people,
// and one without `webhooks` cannot read a webhook secret. People are governed by their role
// (roles.ts), not by this.
import type { MiddlewareHandler } from 'hono';
import type { ApiKeyScope } from '../../contracts/console.ts';
import { DomainError } from '../../platform/errors.ts';
import type { ConsoleEnv } from '../env.ts';

const ROUTES: { scope: ApiKeyScope | 'any'; methods?: string[]; path: RegExp }[] = [
  { scope: 'any', path: /^\/(me|session)$/ },
  { scope: 'stats', methods: ['GET'], path: /^\/stats(\/|$)/ },
  { scope: 'orders', path: /^\/orders(\.csv|\/|$)/ },
  { scope: 'orders', path: /^\/check-in(\/|$)/ },
  { scope: 'orders', methods: ['GET'], path: /^\/(performances|events)\/[^/]+\/(check-in-list|check-in-counts|check-ins\.csv)$/ },
  // The orders' filters list the events.
  { scope: 'orders', methods: ['GET'], path: /^\/events(\/[^/]+)?$/ },
  { scope: 'webhooks', path: /^\/webhooks(\/|$)/ },
  { scope: 'admin', path: /^\/(api-keys|users)(\/|$)/ },
];

/** Where app.ts mounts the console API; paths are matched below it. */
const MOUNT = '/api/console/v1';

export function keyScopes(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const scopes = c.var.scopes;
    if (scopes) {
      const full = c.req.path.replace(/\/$/, '');
      const path = full.startsWith(MOUNT) ? full.slice(MOUNT.length) : full;
      const matching = ROUTES.filter((r) => r.path.test(path) && (!r.methods || r.methods.includes(c.req.method)));
      // Anything else is the catalogue and the organizer's settings.
      const needs = matching.length ? matching.map((r) => r.scope) : ['events'];
      if (!needs.some((s) => s === 'any' || scopes.includes(s))) {
        throw new DomainError('FORBIDDEN', `This API key may not do that; it needs the ${needs.join(' or ')} scope (it has ${scopes.join(', ') || 'none'})`);
      }
    }
    return next();
  };
}
