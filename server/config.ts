// Configuration comes from the environment, parsed once at start-up. A wrong value stops the
// process with a message that names the variable, instead of failing later at request time.
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DEMO_PORT: z.union([port, z.literal('off')]).default(8080),
  DATABASE_PATH: z.string().min(1).default('data/encore.sqlite'),
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
  WORKER: z.enum(['on', 'off']).default('on'),
});

export interface Config {
  port: number;
  host: string;
  demoPort: number | null;
  databasePath: string;
  publicBaseUrl: string;
  demoOrigin: string | null;
  seedDemo: boolean;
  logRequests: boolean;
  /** null → the built-in mail catcher is started and used. */
  smtpUrl: string | null;
  mailFrom: string;
  mailCatcherPort: number;
  /** Run the outbox worker inside the API process (off when separate workers run `server/worker.ts`). */
  workerEnabled: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const publicBaseUrl = (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const demoPort = c.DEMO_PORT === 'off' ? null : c.DEMO_PORT;
  return {
    port: c.PORT,
    host: c.HOST,
    demoPort,
    databasePath: c.DATABASE_PATH,
    publicBaseUrl,
    demoOrigin: demoPort === null ? null : `http://localhost:${demoPort}`,
    seedDemo: c.SEED_DEMO === 'true',
    logRequests: c.LOG_LEVEL === 'info',
    smtpUrl: c.SMTP_URL ?? null,
    mailFrom: c.MAIL_FROM,
    mailCatcherPort: c.MAIL_CATCHER_PORT,
    workerEnabled: c.WORKER === 'on',
  };
}

/** The demo site's origins, allowed for every organizer (the demo theatre embeds from there). */
export function demoOrigins(config: Config): string[] {
  return config.demoPort === null ? [] : [`http://localhost:${config.demoPort}`, `http://127.0.0.1:${config.demoPort}`];
}
