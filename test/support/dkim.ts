// Checks a DKIM-Signature (RFC 6376, relaxed/relaxed, rsa-sha256) against a public key, the way a
// receiving server does after looking the key up in DNS: the body hash, then the signature over
// the signed headers. Enough to prove a message was really signed, not just stamped with a header.
import { createHash, createVerify, type KeyObject } from 'node:crypto';

export interface DkimCheck {
  tags: Record<string, string>;
  bodyHashMatches: boolean;
  signatureValid: boolean;
}

const unfold = (value: string) => value.replace(/\r\n(?=[ \t])/g, '');

function splitMessage(raw: string): { headers: { name: string; line: string }[]; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end + 4);
  const headers = head
    .split(/\r\n(?![ \t])/)
    .filter(Boolean)
    .map((line) => ({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), line }));
  return { headers, body };
}

function relaxedHeader(line: string): string {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim().toLowerCase();
  const value = unfold(line.slice(colon + 1))
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

export function checkDkim(raw: string, publicKey: KeyObject): DkimCheck {
  const { headers, body } = splitMessage(raw);
  const signature = headers.find((h) => h.name === 'dkim-signature');
  if (!signature) throw new Error('no DKIM-Signature header');
  const value = unfold(signature.line.slice(signature.line.indexOf(':') + 1));
  const tags = Object.fromEntries(
    value
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1).replace(/\s+/g, '')]),
  );
  if (tags.c !== 'relaxed/relaxed' || tags.a !== 'rsa-sha256') throw new Error(`unsupported c=${tags.c} a=${tags.a}`);

  const bodyHashMatches = createHash('sha256').update(relaxedBody(body)).digest('base64') === tags.bh;

  // Each name in h= takes that header's last unused instance, bottom up.
  const unused = headers.filter((h) => h !== signature);
  const signed = (tags.h ?? '').split(':').flatMap((name) => {
    const index = unused.map((h) => h.name).lastIndexOf(name.trim().toLowerCase());
    if (index === -1) return [];
    const [h] = unused.splice(index, 1);
    return [`${relaxedHeader(h!.line)}\r\n`];
  });
  // The signature header itself comes last, its b= value emptied and no line break after it.
  const withoutB = relaxedHeader(signature.line).replace(/([;:]\s*b=)[^;]*/, '$1');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(signed.join('') + withoutB);
  const signatureValid = verifier.verify(publicKey, tags.b ?? '', 'base64');
  return { tags, bodyHashMatches, signatureValid };
}
