// How long the seats stay held: until when on the visitor's clock, and how long is left (never
// "held for 15:00", which reads as a time of day). The visible countdown ticks every second but is
// silent; a separate polite live region speaks only when a minute passes, so screen readers are
// not flooded.
import { formatClock, formatTime } from '../format.ts';
import { fill } from '../i18n.ts';
import type { Widget } from '../models/widget.ts';

export function HoldTimer({ w }: { w: Widget }) {
  const t = w.t.value;
  const seconds = w.secondsLeft.value;
  const until = w.expiresAt.value;
  if (seconds === null || until === null || w.step.value === 'done') return null;
  if (w.expired.value) {
    return (
      <div class="hold expired">
        <p role="alert">{t.expired}</p>
        <button type="button" class="btn" data-testid="rehold" onClick={() => void w.rehold()}>
          {t.rehold}
        </button>
      </div>
    );
  }
  const minutes = Math.ceil(seconds / 60);
  return (
    <div class="hold">
      <span>{fill(t.held, { time: formatTime(until, w.locale.value) })}</span>
      <span role="timer" data-testid="countdown">
        {fill(t.left, { n: formatClock(seconds) })}
      </span>
      <span class="sr-only" aria-live="polite" aria-atomic="true">
        {minutes === 1 ? t.oneMinuteLeft : fill(t.minutesLeft, { n: minutes })}
      </span>
    </div>
  );
}
