// Data several screens share: the organizer's events (pickers on Widget, Stats, Sites) and
// their settings (Widget, Recovery, Sites). Loaded on first use, replaced after each save.
import { signal } from '@preact/signals';
import type { ConsoleEvent, ConsoleSettings } from '../server/contracts/console.ts';
import { get } from './api.ts';

export const events = signal<(ConsoleEvent & { performanceCount?: number })[] | null>(null);
export const settings = signal<ConsoleSettings | null>(null);

export async function loadEvents() {
  events.value = (await get<{ events: ConsoleEvent[] }>('/events')).events;
}

export async function loadSettings() {
  settings.value = await get<ConsoleSettings>('/settings');
}

export function resetData() {
  events.value = null;
  settings.value = null;
}
