// When each reminder step goes out. Pure: takes the moment of abandonment, the steps, the quiet
// hours in the event's time zone and the show's sales close; returns a send time per step or
// drops it.
import type { RecoverySettings } from '../contracts/recovery-settings.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A reminder that lands closer than this to sales close is no use to anyone. */
export const LAST_CALL_BEFORE_CLOSE = 2 * HOUR;
/** Two steps pulled forward are kept at least this far apart; closer, the later one is dropped. */
export const MIN_GAP_BETWEEN_STEPS = 2 * HOUR;

export interface ScheduleInput {
  abandonedAt: Date;
  now: Date;
  steps: RecoverySettings['steps'];
  quietHours: RecoverySettings['quietHours'];
  timeZone: string;
  salesCloseAt: Date;
}

export interface ScheduledStep {
  step: number;
  dueAt: Date;
  pulledForward: boolean;
}

function minutesOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return get('hour') * 60 + get('minute');
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes until quiet hours end, or 0 when `at` is outside them. Handles windows across midnight. */
export function minutesLeftInQuiet(at: Date, quiet: ScheduleInput['quietHours'], timeZone: string): number {
  if (!quiet) return 0;
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  if (start === end) return 0;
  const m = minutesOfDay(at, timeZone);
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  return inside ? (end - m + 1440) % 1440 : 0;
}

/** Moves a time out of quiet hours: forward to their end, or (forward=false) back before their start. */
function outOfQuiet(at: Date, input: ScheduleInput, forward: boolean): Date {
  const left = minutesLeftInQuiet(at, input.quietHours, input.timeZone);
  if (left === 0) return at;
  if (forward) return new Date(at.getTime() + left * MINUTE);
  const start = toMinutes(input.quietHours!.start);
  const m = minutesOfDay(at, input.timeZone);
  const sinceStart = (m - start + 1440) % 1440;
  return new Date(at.getTime() - (sinceStart + 1) * MINUTE);
}

export function scheduleReminders(input: ScheduleInput): ScheduledStep[] {
  const latest = new Date(input.salesCloseAt.getTime() - LAST_CALL_BEFORE_CLOSE);
  const out: ScheduledStep[] = [];
  input.steps.forEach((step, index) => {
    if (!step.enabled) return;
    const previous = out.at(-1);
    const earliest = new Date(Math.max(input.now.getTime(), previous ? previous.dueAt.getTime() + MIN_GAP_BETWEEN_STEPS : 0));
    let due = outOfQuiet(new Date(input.abandonedAt.getTime() + step.delayMinutes * MINUTE), input, true);
    let pulledForward = false;
    if (due > latest) {
      due = outOfQuiet(latest, input, false);
      pulledForward = true;
    }
    if (due < earliest) {
      if (!pulledForward) due = earliest;
      else return; // no reasonable time left before sales close
    }
    if (due > latest) return;
    out.push({ step: index, dueAt: due, pulledForward });
  });
  return out;
}
