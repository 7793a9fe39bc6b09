// Webhooks go to addresses on the public internet only. An organizer types the URL, so it must
// not reach into our network: not by an internal address, not by a name that resolves to one
// (localhost., *.nip.io, a cloud metadata name, a DNS record changed after the check). So the
// address is checked where the connection is made, after the lookup, for every connection; IP
// literals are checked before. Redirects are not followed (delivery-job.ts), and the delivery
// log keeps a class of error, never socket details (that would make it a port scanner).
import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

/** Global unicast only: every special-use range of either family is refused (ipaddr.js keeps the IANA lists). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  // IPv6 global unicast is 2000::/3; mapped, NAT64, 6to4 and Teredo addresses have ranges of their own.
  return ip.range() === 'unicast' && ip.match(ipaddr.parse('2000::'), 3);
}

/** Names that are, or always resolve to, this machine or a cloud's metadata service. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|nip\.io|sslip\.io|xip\.io|localtest\.me|lvh\.me|vcap\.me)$/i;

/** A URL host that can never be public, without a lookup (the creation-time check). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host)) return !isPublicAddress(host);
  return !host.includes('.') || LOCAL_NAME.test(host);
}

export class BlockedAddress extends Error {
  readonly code = 'EBLOCKED';
  constructor(readonly host: string) {
    super(`${host} is not a public address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** net.connect's `lookup`: resolves, and refuses when any address of the name is not `allowed`. */
function guardedLookup(allowed: (address: string) => boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0 || !addresses.every((a) => allowed(a.address))) return callback(new BlockedAddress(hostname), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * fetch for webhook deliveries: every connection's address is checked after its lookup, and an
 * IP literal (connected to without a lookup) before. `allowLoopback` (development and tests,
 * WEBHOOKS_ALLOW_LOOPBACK) lets loopback through as well.
 */
export function publicFetch(o: { allowLoopback?: boolean } = {}): typeof fetch {
  const allowed = (address: string) => isPublicAddress(address) || (o.allowLoopback === true && ipaddr.parse(address).range() === 'loopback');
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(allowed) } });
  return (async (input: string | URL, init?: RequestInit) => {
    const host = new URL(String(input)).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !allowed(host)) throw new BlockedAddress(host);
    return undiciFetch(String(input), { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]);
  }) as unknown as typeof fetch;
}

/** What the delivery log says about a failed connection: a class, never an address or port. */
export function errorClass(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'ConnectTimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out';
  if (code === 'EBLOCKED') return 'refused: not a public address';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'the name does not resolve';
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'the connection failed';
  if (/CERT|TLS|SSL|ERR_TLS/i.test(code)) return 'TLS failed';
  return 'the request failed';
}
