// The widget's root: header, hold clock and the current step, or a kind message when the
// event could not be loaded. A render error is caught here and never reaches the host page.
import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';
import { Failure } from '../api.ts';
import type { Widget } from '../models/widget.ts';
import { accentStyle } from '../theme.ts';
import { DetailsStep } from './DetailsStep.tsx';
import { Done } from './Done.tsx';
import { HoldTimer } from './HoldTimer.tsx';
import { Problem } from './Problem.tsx';
import { ResumeNotice } from './ResumeNotice.tsx';
import { TicketsStep } from './TicketsStep.tsx';

interface Props {
  w: Widget;
  /** In a modal: renders the close button. */
  onClose?: () => void;
}

export function App({ w, onClose }: Props) {
  const [error, reset] = useErrorBoundary((e) => console.warn('[Encore]', e));
  const t = w.t.value;
  const data = w.catalogue.data.value;
  const style = accentStyle(data?.settings.accentColor);
  const step = w.step.value;

  const failure = w.catalogue.failure.value;

  let body: ComponentChildren;
  if (error) body = <Problem t={t} failure={new Failure('SERVER')} settings={w.settings.value} onRetry={reset} />;
  // Only a failure worth retrying gets the button; any other leaves the visitor the box office.
  else if (!data && failure) body = <Problem t={t} failure={failure} settings={w.support} onRetry={failure.transient ? () => void w.start() : undefined} />;
  else if (!data)
    body = (
      <p class="muted" role="status">
        {t.loading}
      </p>
    );
  // This site is not among the organizer's: say so before the visitor picks anything.
  else if (!data.originAllowed) body = <Problem t={t} failure={new Failure('ORIGIN_NOT_ALLOWED')} settings={data.settings} />;
  else
    body = (
      <>
        <ResumeNotice w={w} />
        <HoldTimer w={w} />
        {step === 'tickets' && <TicketsStep w={w} />}
        {step === 'details' && <DetailsStep w={w} />}
        {step === 'done' && <Done w={w} />}
      </>
    );

  // A region named after the event (ids are per shadow root, so one per widget); its head is not a
  // <header>, which in the modal (outside any sectioning element) would be a second banner.
  return (
    <section class="encore" style={style} lang={w.locale.value} aria-labelledby="encore-title">
      <div class="head">
        <div>
          <h2 class="title" id="encore-title">
            {w.title.value}
          </h2>
          {data && (
            <p class="muted">
              {data.event.venue} · {data.event.organizer.name}
            </p>
          )}
        </div>
        {onClose && (
          <button type="button" class="close" data-testid="modal-close" aria-label={t.close} onClick={onClose}>
            ×
          </button>
        )}
      </div>
      {body}
    </section>
  );
}
