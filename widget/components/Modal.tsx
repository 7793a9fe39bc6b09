// The button mode's modal: a native <dialog> shown with showModal() (top layer, the page
// behind is inert), plus an explicit Tab loop, Esc to close and focus back to the opener.
import type { Signal } from '@preact/signals';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Widget } from '../models/widget.ts';
import { App } from './App.tsx';

const FOCUSABLE = 'button:not([disabled]),input:not([disabled]),a[href],[tabindex]:not([tabindex="-1"])';

interface Props {
  w: Widget;
  open: Signal<boolean>;
  onClose: () => void;
}

export function Modal({ w, open, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const isOpen = open.value;

  useLayoutEffect(() => {
    const dialog = ref.current!;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  function trapTab(e: KeyboardEvent) {
    if (e.key !== 'Tab') return;
    const dialog = ref.current!;
    const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
    if (items.length === 0) return;
    const active = (dialog.getRootNode() as ShadowRoot).activeElement;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && (active === first || !dialog.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      aria-modal="true"
      aria-label={w.title.value}
      onKeyDown={trapTab}
      // Esc: closing goes through our state so focus returns to the opener.
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClose={() => open.value && onClose()}
    >
      <App w={w} onClose={onClose} />
    </dialog>
  );
}
