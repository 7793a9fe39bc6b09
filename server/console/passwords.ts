// Password hashing with scrypt from node:crypto. The stored string names its parameters
// (`scrypt$N$r$p$salt$key`), so they can be raised later without breaking old hashes.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DomainError } from '../platform/errors.ts';

export const MIN_PASSWORD_LENGTH = 10;

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;

/**
 * scrypt runs on libuv's thread pool (4 threads), which file reads, DNS lookups and other crypto
 * share: a burst of sign-ins (guesses included) must not take all of it. At most HASHING run at
 * once; up to WAITING more wait their turn; beyond that a sign-in is refused at once (429).
 */
export const HASHING = 2;
export const WAITING = 16;
let running = 0;
const queue: (() => void)[] = [];
/** The most that ever ran at once (tests read it). */
export const hashingSeen = { most: 0 };

const overloaded = () => new DomainError('TOO_MANY_ATTEMPTS', 'Too many sign-ins at once; try again in a few seconds');

/** Refuses at once when the hashing queue is full: a sign-in checks this before any other work. */
export function assertHashingRoom(): void {
  if (running >= HASHING && queue.length >= WAITING) throw overloaded();
}

async function turn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASHING) {
    if (queue.length >= WAITING) throw overloaded();
    // Woken with the slot of the one that finished: `running` stays as it is.
    await new Promise<void>((resolve) => queue.push(resolve));
  } else {
    running += 1;
  }
  hashingSeen.most = Math.max(hashingSeen.most, running);
  try {
    return await work();
  } finally {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  }
}

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  // 128·N·r bytes is exactly Node's default 32 MiB limit at N=2^15, r=8; leave headroom.
  const maxmem = 256 * options.N! * options.r!;
  return turn(
    () =>
      new Promise((resolve, reject) =>
        scryptCallback(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | null = null;

/** Does the work of a real check, so an unknown email takes about as long as a wrong password. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
}
