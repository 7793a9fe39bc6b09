// Administration from the shell: `npm run cli -- <command> …`. Uses DATABASE_PATH like the server.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './platform/config.ts';
import { origin } from './contracts/console.ts';
import { LOCALES } from './contracts/widget.ts';
import { migrate, openDatabase } from './platform/db/database.ts';
import { databaseLabel } from './platform/db/engine.ts';
import { createApiKeyForUser, createOrganizer, createUserBeside } from './console/accounts.ts';
import { DomainError } from './platform/errors.ts';

const USAGE = `Usage:
  npm run cli -- create-organizer --name "Riverside Theatre" --email you@theatre.example --password <10+ characters>
                 [--origin https://theatre.example]… [--user-name "Your Name"] [--locale ru|en]
  npm run cli -- create-api-key --email you@theatre.example --name "Box office sync"
  npm run cli -- create-user --organizer-email you@theatre.example --email cashier@theatre.example --password <10+ characters>
                 --name "Cashier" [--role box_office|owner] [--locale ru|en]`;

class UsageError extends Error {}

const email = z.string().trim().toLowerCase().email('is not an email address');
const text = z.string().trim().min(1, 'must not be empty').max(200);

const commands = {
  'create-organizer': z.object({
    name: text,
    email,
    password: z.string(),
    origin: z.array(origin).default([]),
    'user-name': text.optional(),
    locale: z.enum(LOCALES).default('ru'),
  }),
  'create-api-key': z.object({ email, name: text }),
  'create-user': z.object({
    'organizer-email': email,
    email,
    password: z.string(),
    name: text,
    role: z.enum(['owner', 'box_office']).default('box_office'),
    locale: z.enum(LOCALES).default('ru'),
  }),
};

function parse<S extends z.ZodType>(schema: S, values: unknown): z.infer<S> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const option = String(issue.path[0] ?? '');
  throw new UsageError(issue.code === 'invalid_type' ? `--${option} is required` : `--${option} ${issue.message}`);
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'user-name': { type: 'string' },
      locale: { type: 'string' },
      'organizer-email': { type: 'string' },
      role: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command !== 'create-organizer' && command !== 'create-api-key' && command !== 'create-user') {
    throw new UsageError(command ? `Unknown command "${command}"` : 'Name a command');
  }
  const config = loadConfig();
  const db = openDatabase(config.databasePath, { poolSize: config.databasePoolSize });
  try {
    await migrate(db);
    if (command === 'create-organizer') {
      const o = parse(commands['create-organizer'], values);
      const user = { email: o.email, password: o.password, name: o['user-name'] ?? o.name, locale: o.locale };
      const created = await createOrganizer(db, { name: o.name, allowedOrigins: o.origin, user }, new Date());
      console.log(`Created organizer "${o.name}" (slug ${created.slug}, id ${created.organizerId}) in ${databaseLabel(config.databasePath)}`);
      console.log(`Sign in to the console as ${o.email}.`);
      if (o.origin.length === 0) console.log('No --origin given: add the sites that embed the widget in the console settings.');
    } else if (command === 'create-user') {
      const u = parse(commands['create-user'], values);
      await createUserBeside(db, u['organizer-email'], { email: u.email, password: u.password, name: u.name, locale: u.locale, role: u.role }, new Date());
      console.log(`Created console user ${u.email} (${u.role}) beside ${u['organizer-email']}.`);
    } else {
      const k = parse(commands['create-api-key'], values);
      const key = await createApiKeyForUser(db, k.email, k.name, new Date());
      console.log(`Created API key "${key.name}" (${key.prefix}…). It is shown only this once; store it now:`);
      console.log(key.key);
    }
  } finally {
    await db.destroy();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else if (error instanceof DomainError || error instanceof ConfigError) {
    console.error(error.message);
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else {
    throw error;
  }
  process.exitCode = 1;
}
