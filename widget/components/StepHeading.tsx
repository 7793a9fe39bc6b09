// Each step's heading. When the visitor moved to the step, focus lands here so keyboard and
// screen-reader users start at the top of what changed (never on page load).
import { useEffect, useRef } from 'preact/hooks';
import type { Widget } from '../models/widget.ts';

export function StepHeading({ w, text }: { w: Widget; text: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (w.takeFocus()) ref.current?.focus();
  }, []);
  return (
    <h3 ref={ref} tabIndex={-1} class="step">
      {text}
    </h3>
  );
}
