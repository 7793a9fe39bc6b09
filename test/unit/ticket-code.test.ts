// A ticket's QR payload: its own code and a check; forged, altered or foreign payloads open to null.
import { expect, test } from 'vitest';
import { newTicketCode } from '../../server/platform/ids.ts';
import { openTicketQr, ticketQrPayload } from '../../server/tickets/ticket-code.ts';

test('a payload opens to its ticket code, typed in any case; an altered one, another secret or junk to null', () => {
  const code = newTicketCode();
  const payload = ticketQrPayload('secret-a', code);
  expect(payload).toMatch(/^ENC1\.[0-9A-Z]{26}\.[0-9A-Z]{12}$/);
  expect(openTicketQr('secret-a', payload)).toBe(code);
  expect(openTicketQr('secret-a', ` ${payload.toLowerCase()} `)).toBe(code);
  expect(openTicketQr('secret-b', payload)).toBeNull();
  const other = newTicketCode();
  expect(openTicketQr('secret-a', payload.replace(code, other))).toBeNull();
  const last = payload.at(-1) === '0' ? '1' : '0';
  expect(openTicketQr('secret-a', payload.slice(0, -1) + last)).toBeNull();
  for (const junk of ['', 'ENC1', code, `ENC1.${code}`, 'https://evil.example', `ENC2.${code}.AAAAAAAAAAAA`]) expect(openTicketQr('secret-a', junk)).toBeNull();
});
