// What a reminder link found, at the top of the widget it restored: the cart is back, or plainly
// what is gone, with other dates to try.
import { fill } from '../i18n.ts';
import type { Widget } from '../models/widget.ts';

export function ResumeNotice({ w }: { w: Widget }) {
  const n = w.notice.value;
  if (!n) return null;
  const t = w.t.value;
  const view = w.cart.view.value;
  return (
    <div class="notice" role="status" data-testid="resume-notice">
      <p>
        {n.state === 'event_over' ? t['errors.SALES_CLOSED'] : t[`resume.${n.state}`]}
        {n.state === 'partly_unavailable' && n.unavailable.map((u) => ` ${fill(t.heldOf, { name: u.name, held: u.held, of: u.requested })}`)}
        {view?.holdActive && view.discount && ` ${t.discount} ${view.discount.label} ${t.applied}`}
      </p>
      {n.maskedEmail && n.state !== 'completed' && <p data-testid="resume-masked">{fill(t['resume.masked'], { email: n.maskedEmail })}</p>}
      {n.alternatives.length > 0 && (
        <>
          <p>{t.otherDates}</p>
          <ul class="perfs">
            {n.alternatives.map((a) => (
              <li key={a.performanceId}>
                <button type="button" class="perf" data-testid="alternative" onClick={() => w.tryDate(a.performanceId)}>
                  {w.dateTime(a.startsAt)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
