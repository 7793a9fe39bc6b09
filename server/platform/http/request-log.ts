// One line per request (LOG_REQUESTS): method, path, status, time. Links carry secrets in their
// paths and queries (unsubscribe /u/<token>, order pages /o/<token>, preview and catcher
// tokens), and request logs travel further than the database, so those parts are written as ***.
import type { MiddlewareHandler } from 'hono';

/** Path prefixes whose next segment is a bearer secret. */
const SECRET_SEGMENT = /^(\/(?:u|o))\/[^/]+/;
/** Query parameters that carry one. */
const SECRET_PARAM = /token|key|secret|password|preview|code|sig/i;

/** The request's path and query as a log may show them. */
export function loggablePath(url: string): string {
  const u = new URL(url, 'http://log.invalid');
  const path = u.pathname.replace(SECRET_SEGMENT, '$1/***');
  const params = [...u.searchParams].map(([name, value]) => `${encodeURIComponent(name)}=${SECRET_PARAM.test(name) ? '***' : encodeURIComponent(value)}`);
  return params.length ? `${path}?${params.join('&')}` : path;
}

export function requestLog(print: (line: string) => void = console.log): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    print(`${c.req.method} ${loggablePath(c.req.url)} ${c.res.status} ${Math.round(performance.now() - started)}ms`);
  };
}
