// Configuration comes from the environment, parsed once at start-up. A wrong value stops the
// process with a message that names the variable, instead of failing later at request time.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
/** A per-client limit (grab-limits.ts): a positive count, or `off`. */
const limit = z.union([z.coerce.number().int().min(1), z.literal('off')]);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DEMO_PORT: z.union([port, z.literal('off')]).default(8080),
  DATABASE_PATH: z.string().min(1).default('data/encore.sqlite'),
  // Set: PostgreSQL (production, several API instances and workers); unset: the SQLite file at DATABASE_PATH.
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'Use postgres://user:password@host:5432/database')
    .optional(),
  // At least 2: the recovery round holds one connection for its advisory lock while it works on others.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  PUBLIC_BASE_URL: z.string().url().optional(),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['silent', 'info']).default('info'),
  // Absent: reminders go to the built-in mail catcher (a local SMTP server with a page listing
  // caught mail), so a newcomer sees them arrive without a mail account.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, 'Use smtp://user:pass@host:587 or smtps://user:pass@host:465')
    .optional(),
  MAIL_FROM: z.string().min(3).default('"Encore" <tickets@localhost>'),
  MAIL_CATCHER_PORT: port.default(2525),
  // Opens /mail (the link is printed at start); without it a new one each start.
  MAIL_CATCHER_TOKEN: z.string().min(16, 'At least 16 characters').max(200).optional(),
  // DKIM signing of all outgoing mail (nodemailer's dkim option): the signing domain, the
  // selector published at <selector>._domainkey.<domain>, and the PEM private key, inline (a
  // literal \n stands for a line break, as env files write it) or as a file path.
  DKIM_DOMAIN: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'Use the domain the DNS record is under, e.g. theatre.example')
    .optional(),
  DKIM_SELECTOR: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/i, 'Use the selector of the DNS record, e.g. encore2026')
    .optional(),
  DKIM_PRIVATE_KEY: z.string().min(1).optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  WORKER: z.enum(['on', 'off']).default('on'),
  // No free seat grabbing (sales/grab-limits.ts): per client address and performance, and per
  // client and window for cart creations plus checkouts. Defaults in DEFAULT_CLIENT_LIMITS.
  CLIENT_MAX_OPEN_CARTS: limit.optional(),
  CLIENT_MAX_HELD_SEATS: limit.optional(),
  CLIENT_RATE_LIMIT: limit.optional(),
  CLIENT_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  // How many reverse proxies of ours append to X-Forwarded-For; off: the socket's address.
  TRUST_PROXY: z.union([z.coerce.number().int().min(1).max(10), z.literal('off')]).default('off'),
  // YooKassa's payments API; tests point it at a local server.
  YOOKASSA_API_URL: z.string().url().default('https://api.yookassa.ru/v3'),
  // Development only: webhook endpoints on this machine (http://localhost:…) are accepted and delivered to.
  WEBHOOKS_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false'),
});

export interface Config {
  port: number;
  host: string;
  demoPort: number | null;
  /** The SQLite file's path, or the PostgreSQL URL when DATABASE_URL is set (openDatabase takes either). */
  databasePath: string;
  /** PostgreSQL connections per process. */
  databasePoolSize: number;
  publicBaseUrl: string;
  demoOrigin: string | null;
  seedDemo: boolean;
  logRequests: boolean;
  /** null → the built-in mail catcher is started and used. */
  smtpUrl: string | null;
  mailFrom: string;
  mailCatcherPort: number;
  mailCatcherToken: string | null;
  /** Run the recovery loop and the job runner inside the API process (off when separate workers run `server/worker.ts`). */
  workerEnabled: boolean;
  /** nodemailer's `dkim` option for every message sent; null → unsigned. */
  dkim: DkimConfig | null;
  /** Per-client limits on new carts and checkouts; always on (a limit set to `off` is Infinity). */
  grab: GrabGuard;
  yookassaApiUrl: string;
  /** WEBHOOKS_ALLOW_LOOPBACK: endpoints on loopback allowed (development); every other non-public address is refused regardless. */
  allowLoopbackWebhooks: boolean;
}

export interface ClientLimits {
  /** Carts holding seats on one performance at once. */
  openCarts: number;
  /** Seats held on one performance at once, over all those carts. */
  heldSeats: number;
  /** Cart creations plus checkouts per window. */
  rate: number;
  rateWindowSeconds: number;
}

/** The documented defaults (README): a family or a theatre group fits, a script does not. */
export const DEFAULT_CLIENT_LIMITS: ClientLimits = { openCarts: 4, heldSeats: 20, rate: 30, rateWindowSeconds: 60 };

export interface GrabGuard {
  limits: ClientLimits;
  /**
   * 0: the client is the socket's peer. N: N reverse proxies of ours stand in front, each
   * appending its peer to X-Forwarded-For, so the client is the Nth address from its right end
   * (addresses further left are whatever the client chose to send).
   */
  trustProxy: number;
}

export interface DkimConfig {
  domainName: string;
  keySelector: string;
  /** PEM. */
  privateKey: string;
}

/** Never echoed in an error message: keys, tokens, passwords. */
const SECRET = /KEY|TOKEN|SECRET|PASSWORD/;

/** A value as an error message may show it: a secret not at all, a URL's password as ***. */
function shown(name: string, value: string | undefined): string {
  if (SECRET.test(name)) return 'value not shown';
  // user:password@ in anything URL-like, however mistyped the rest is.
  return `got ${JSON.stringify(value?.replace(/:[^:@/\s]*@/g, ':***@'))}`;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (${shown(String(i.path[0]), env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const publicBaseUrl = (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const demoPort = c.DEMO_PORT === 'off' ? null : c.DEMO_PORT;
  return {
    port: c.PORT,
    host: c.HOST,
    demoPort,
    databasePath: c.DATABASE_URL ?? c.DATABASE_PATH,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    publicBaseUrl,
    demoOrigin: demoPort === null ? null : `http://localhost:${demoPort}`,
    seedDemo: c.SEED_DEMO === 'true',
    logRequests: c.LOG_LEVEL === 'info',
    smtpUrl: c.SMTP_URL ?? null,
    mailFrom: c.MAIL_FROM,
    mailCatcherPort: c.MAIL_CATCHER_PORT,
    mailCatcherToken: c.MAIL_CATCHER_TOKEN ?? null,
    workerEnabled: c.WORKER === 'on',
    dkim: dkimConfig(c),
    grab: {
      limits: {
        openCarts: unlimitedIfOff(c.CLIENT_MAX_OPEN_CARTS, DEFAULT_CLIENT_LIMITS.openCarts),
        heldSeats: unlimitedIfOff(c.CLIENT_MAX_HELD_SEATS, DEFAULT_CLIENT_LIMITS.heldSeats),
        rate: unlimitedIfOff(c.CLIENT_RATE_LIMIT, DEFAULT_CLIENT_LIMITS.rate),
        rateWindowSeconds: c.CLIENT_RATE_WINDOW_SECONDS ?? DEFAULT_CLIENT_LIMITS.rateWindowSeconds,
      },
      trustProxy: c.TRUST_PROXY === 'off' ? 0 : c.TRUST_PROXY,
    },
    yookassaApiUrl: c.YOOKASSA_API_URL,
    allowLoopbackWebhooks: c.WEBHOOKS_ALLOW_LOOPBACK === 'true',
  };
}

const unlimitedIfOff = (value: number | 'off' | undefined, fallback: number) => (value === 'off' ? Number.POSITIVE_INFINITY : (value ?? fallback));

/** All of DKIM_DOMAIN, DKIM_SELECTOR and one of DKIM_PRIVATE_KEY / DKIM_PRIVATE_KEY_FILE, or none;
 * the key is read and checked here, so a bad one stops start-up instead of every send. */
function dkimConfig(c: z.infer<typeof schema>): DkimConfig | null {
  const given = [c.DKIM_DOMAIN, c.DKIM_SELECTOR, c.DKIM_PRIVATE_KEY, c.DKIM_PRIVATE_KEY_FILE].some((v) => v !== undefined);
  if (!given) return null;
  const problems: string[] = [];
  if (!c.DKIM_DOMAIN) problems.push('DKIM_DOMAIN: required for DKIM signing');
  if (!c.DKIM_SELECTOR) problems.push('DKIM_SELECTOR: required for DKIM signing');
  if (!c.DKIM_PRIVATE_KEY === !c.DKIM_PRIVATE_KEY_FILE)
    problems.push('DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE: give exactly one (a PEM key, or the path of one)');
  let privateKey = c.DKIM_PRIVATE_KEY?.replace(/\\n/g, '\n') ?? '';
  if (c.DKIM_PRIVATE_KEY_FILE) {
    try {
      privateKey = readFileSync(c.DKIM_PRIVATE_KEY_FILE, 'utf8');
    } catch (error) {
      problems.push(`DKIM_PRIVATE_KEY_FILE: cannot read ${JSON.stringify(c.DKIM_PRIVATE_KEY_FILE)} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (privateKey) {
    try {
      createPrivateKey(privateKey);
    } catch {
      problems.push(`${c.DKIM_PRIVATE_KEY_FILE ? 'DKIM_PRIVATE_KEY_FILE' : 'DKIM_PRIVATE_KEY'}: not a PEM private key (value not shown)`);
    }
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { domainName: c.DKIM_DOMAIN!, keySelector: c.DKIM_SELECTOR!, privateKey };
}

/** The demo site's origins, allowed for every organizer (the demo theatre embeds from there). */
export function demoOrigins(config: Config): string[] {
  return config.demoPort === null ? [] : [`http://localhost:${config.demoPort}`, `http://127.0.0.1:${config.demoPort}`];
}
