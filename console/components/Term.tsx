// A figure's name with its one-line definition, shown while the name is hovered or has keyboard
// focus, and given to screen readers as the name's description. WCAG 1.4.13: the pointer can
// move onto the definition, Escape hides it, it stays until then; a click or tap pins it, for
// touch screens. It is placed against the window (position: fixed), so a scrolling table's
// edges do not cut it off.
import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';

const MARGIN = 8;
const MAX_WIDTH = 320;

export function Term({ label, definition }: { label: string; definition: string }) {
  const id = `${useId()}-tip`;
  const name = useRef<HTMLButtonElement>(null);
  const tip = useRef<HTMLSpanElement>(null);
  // Escape hides it until the pointer or focus leaves; a click keeps it open.
  const state = useSignal<'auto' | 'hidden' | 'pinned'>('auto');

  // Under the name, or above it when there is no room below; within the window sideways.
  const place = () => {
    const el = tip.current;
    const anchor = name.current?.getBoundingClientRect();
    if (!el || !anchor || getComputedStyle(el).display === 'none') return;
    const width = Math.min(MAX_WIDTH, innerWidth - 2 * MARGIN);
    el.style.maxWidth = `${width}px`;
    el.style.left = `${Math.max(MARGIN, Math.min(anchor.left, innerWidth - el.offsetWidth - MARGIN))}px`;
    const below = anchor.bottom + el.offsetHeight <= innerHeight - MARGIN;
    el.style.top = `${below ? anchor.bottom : anchor.top - el.offsetHeight}px`;
  };
  const placeSoon = () => requestAnimationFrame(place);
  useEffect(() => {
    addEventListener('scroll', place, true);
    addEventListener('resize', place);
    return () => {
      removeEventListener('scroll', place, true);
      removeEventListener('resize', place);
    };
  }, []);

  return (
    <span class={`term term-${state.value}`}>
      <button
        ref={name}
        type="button"
        class="term-name"
        aria-describedby={id}
        onMouseEnter={placeSoon}
        onMouseLeave={() => {
          if (state.value === 'hidden') state.value = 'auto';
        }}
        onFocus={placeSoon}
        onClick={() => {
          state.value = state.value === 'pinned' ? 'hidden' : 'pinned';
          placeSoon();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && state.value !== 'hidden') {
            e.stopPropagation();
            state.value = 'hidden';
          }
        }}
        onBlur={() => (state.value = 'auto')}
      >
        {label}
      </button>
      <span ref={tip} class="term-tip" role="tooltip" id={id}>
        {definition}
      </span>
    </span>
  );
}
