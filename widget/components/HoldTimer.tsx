// How long the seats stay held. The visible clock ticks every second but is silent; a separate
// polite live region speaks only when a minute passes, so screen readers are not flooded.
import { formatClock } from '../format.ts';
import { fill } from '../i18n.ts';
import type { Widget } from '../models/widget.ts';

export function HoldTimer({ w }: { w: Widget }) {
  const t = w.t.value;
  const seconds = w.secondsLeft.value;
  if (seconds === null || w.step.value === 'done') return null;
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
      <span>{t.held}</span>
      <span role="timer" data-testid="countdown">
        {formatClock(seconds)}
      </span>
      <span class="sr-only" aria-live="polite" aria-atomic="true">
        {minutes === 1 ? t.oneMinuteLeft : fill(t.minutesLeft, { n: minutes })}
      </span>
    </div>
  );
}
