// The door's state for one performance: scans answered by the server while online; while the
// network is down, answered from the preloaded list (hashes of the tickets' QR payloads, their
// types and states; no buyers' names) and queued with the time of the scan, then synced one by
// one when the network is back (the server keeps the first scan in time). The list and the
// queue live in localStorage, so a reload at the door loses neither.
import { computed, signal } from '@preact/signals';
import { ApiFailure, get, post } from '../api.ts';

export type Counts = { valid: number; checkedIn: number; byType: { id: string; name: string; valid: number; checkedIn: number }[] };
type TicketView = { ticketType: string; buyerName: string; orderNumber: string };
export type Answer =
  | { result: 'valid'; ticket: TicketView; checkedInAt: string }
  | { result: 'already_used'; ticket: TicketView; checkedInAt: string; by: string; deviceId: string | null }
  | { result: 'wrong_performance'; ticket: TicketView; performance: { id: string; startsAt: string; eventTitle: string; timeZone: string } }
  | {
      result: 'not_valid';
      reason: 'reserved' | 'pending_payment' | 'cancelled' | 'expired' | 'refunded';
      ticket: TicketView;
      order: { id: string; number: string };
    }
  | { result: 'unknown' };
/** What the door shows: the server's answer, or one made offline from the list. */
export type Shown = { answer: Answer; payload: string; offline: boolean; typeName?: string; at: string };

interface Preload {
  generatedAt: string;
  performance: { id: string; startsAt: string; eventTitle: string; timeZone: string };
  ticketTypes: { id: string; name: string }[];
  tickets: { hash: string; ticketTypeId: string; state: string; usedAt: string | null }[];
  counts: Counts;
}
interface Queued {
  payload: string;
  scannedAt: string;
}

const KEY = 'encore.checkin';
const store = {
  read: <T>(name: string): T | null => {
    try {
      return JSON.parse(localStorage.getItem(`${KEY}.${name}`) ?? 'null') as T | null;
    } catch {
      return null;
    }
  },
  write: (name: string, value: unknown) => {
    try {
      localStorage.setItem(`${KEY}.${name}`, JSON.stringify(value));
    } catch {
      // Private mode or a full store: the page still works, it just forgets on reload.
    }
  },
};

/** This browser's name in the check-in records (who scanned: the person, and which device). */
export function deviceId(): string {
  let id = store.read<string>('device');
  if (!id) {
    id = `dev-${Math.random().toString(36).slice(2, 10)}`;
    store.write('device', id);
  }
  return id;
}

/** As the server reads a payload (tickets/ticket-code.ts): case, spaces and dashes aside. */
export const normalize = (text: string) =>
  text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '');

/** SHA-256 of the payload, first 16 bytes, base64url: server/checkin/check-in-list.ts payloadHash. */
async function payloadHash(payload: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(payload))).slice(0, 16);
  return btoa(String.fromCharCode(...digest))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export function door(performanceId: string) {
  const list = signal<Preload | null>(store.read<Preload>(`list.${performanceId}`));
  const queue = signal<Queued[]>(store.read<Queued[]>(`queue.${performanceId}`) ?? []);
  const online = signal(navigator.onLine);
  const shown = signal<Shown | null>(null);
  /** Scans admitted offline that the server, on sync, found used first elsewhere: the door should know. */
  const conflicts = signal<Shown[]>([]);
  const counts = computed(() => list.value?.counts ?? null);
  let syncing = false;

  const saveList = (next: Preload) => {
    list.value = next;
    store.write(`list.${performanceId}`, next);
  };
  const saveQueue = (next: Queued[]) => {
    queue.value = next;
    store.write(`queue.${performanceId}`, next);
  };

  /** Fresh list and counts from the server; keeps the stored one when offline. */
  async function preload(): Promise<void> {
    try {
      saveList(await get<Preload>(`/performances/${performanceId}/check-in-list`));
      online.value = true;
    } catch (e) {
      if (!(e instanceof ApiFailure && e.code === 'NETWORK')) throw e;
      online.value = false;
    }
  }

  async function refreshCounts() {
    const current = list.value;
    if (!current) return;
    try {
      saveList({ ...current, counts: await get<Counts>(`/performances/${performanceId}/check-in-counts`) });
    } catch {
      // Counts are a nicety; the next scan refreshes them.
    }
  }

  const send = (payload: string, scannedAt?: string) => post<Answer>('/check-in', { payload, performanceId, deviceId: deviceId(), scannedAt });

  /** Answers a scan: from the server, or offline from the list (and queues it). */
  async function check(raw: string): Promise<Shown> {
    const payload = normalize(raw);
    const at = new Date().toISOString();
    if (navigator.onLine) {
      try {
        const answer = await send(payload);
        online.value = true;
        void refreshCounts();
        return show({ answer, payload, offline: false, at });
      } catch (e) {
        if (!(e instanceof ApiFailure && e.code === 'NETWORK')) throw e;
      }
    }
    online.value = false;
    return show(await answerOffline(payload, at));
  }

  async function answerOffline(payload: string, at: string): Promise<Shown> {
    const current = list.value;
    const hash = await payloadHash(payload);
    const ticket = current?.tickets.find((t) => t.hash === hash);
    if (!current || !ticket) return { answer: { result: 'unknown' }, payload, offline: true, at };
    const typeName = current.ticketTypes.find((t) => t.id === ticket.ticketTypeId)?.name;
    const view = { ticketType: typeName ?? '', buyerName: '', orderNumber: '' };
    if (ticket.state === 'used') {
      return {
        answer: { result: 'already_used', ticket: view, checkedInAt: ticket.usedAt ?? at, by: '', deviceId: null },
        payload,
        offline: true,
        typeName,
        at,
      };
    }
    if (ticket.state !== 'valid') {
      const answer: Answer = { result: 'not_valid', reason: ticket.state as 'cancelled', ticket: view, order: { id: '', number: '' } };
      return { answer, payload, offline: true, typeName, at };
    }
    // Admitted here: marked used on this device and queued for the server.
    const tickets = current.tickets.map((t) => (t.hash === hash ? { ...t, state: 'used', usedAt: at } : t));
    const byType = current.counts.byType.map((t) => (t.id === ticket.ticketTypeId ? { ...t, checkedIn: t.checkedIn + 1 } : t));
    saveList({ ...current, tickets, counts: { ...current.counts, checkedIn: current.counts.checkedIn + 1, byType } });
    saveQueue([...queue.value, { payload, scannedAt: at }]);
    return { answer: { result: 'valid', ticket: view, checkedInAt: at }, payload, offline: true, typeName, at };
  }

  const show = (s: Shown) => (shown.value = s);

  /** Sends queued scans, oldest first; stops at the first network failure or rate limit. */
  async function sync(): Promise<void> {
    if (syncing || queue.value.length === 0) return;
    syncing = true;
    try {
      while (queue.value.length > 0) {
        const [next] = queue.value;
        try {
          const answer = await send(next!.payload, next!.scannedAt);
          if (answer.result !== 'valid') conflicts.value = [...conflicts.value, { answer, payload: next!.payload, offline: false, at: next!.scannedAt }];
        } catch (e) {
          if (e instanceof ApiFailure && (e.code === 'NETWORK' || e.status === 429 || e.status >= 500)) {
            if (e.code === 'NETWORK') online.value = false;
            return;
          }
          // Refused for good (e.g. the performance was deleted): nothing to retry.
        }
        online.value = true;
        saveQueue(queue.value.slice(1));
      }
      await preload();
    } finally {
      syncing = false;
    }
  }

  async function undo(payload: string) {
    await post('/check-in/undo', { payload });
    shown.value = null;
    await preload();
  }

  return { list, queue, online, shown, conflicts, counts, preload, check, sync, undo, refreshCounts };
}

export type Door = ReturnType<typeof door>;
