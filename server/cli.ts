// Administration from the shell: `npm run cli -- <command> …`. Uses DATABASE_PATH like the server.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';
import { origin } from './console-contracts.ts';
import { LOCALES } from './contracts.ts';
import { migrate, openDatabase } from './db/database.ts';
import { createApiKeyForUser, createOrganizer } from './domain/console-accounts.ts';
import { DomainError } from './domain/errors.ts';

const USAGE = `Usage:
  npm run cli -- create-organizer --name "Riverside Theatre" --email you@theatre.example --password <10+ characters>
                 [--origin https://theatre.example]… [--user-name "Your Name"] [--locale ru|en]
  npm run cli -- create-api-key --email you@theatre.example --name "Box office sync"`;

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
    },
  });
  const command = positionals[0];
  if (command !== 'create-organizer' && command !== 'create-api-key') {
    throw new UsageError(command ? `Unknown command "${command}"` : 'Name a command');
  }
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    await migrate(db);
    if (command === 'create-organizer') {
      const o = parse(commands['create-organizer'], values);
      const user = { email: o.email, password: o.password, name: o['user-name'] ?? o.name, locale: o.locale };
      const created = await createOrganizer(db, { name: o.name, allowedOrigins: o.origin, user }, new Date());
      console.log(`Created organizer "${o.name}" (slug ${created.slug}, id ${created.organizerId}) in ${config.databasePath}`);
      console.log(`Sign in to the console as ${o.email}.`);
      if (o.origin.length === 0) console.log('No --origin given: add the sites that embed the widget in the console settings.');
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
