// A text input that suggests from a long list as you type (time zones, currencies): the ARIA
// combobox pattern with a listbox popup and list autocomplete (WAI-ARIA APG). Typing filters by
// code and by the name in the console's language; ArrowDown opens the whole list at the current
// value, ArrowUp/ArrowDown move, Enter picks, Escape closes; the mouse works too. Whatever is
// typed is still sent as is: the API says when it is not a value it knows.
import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import { type Base, described, Shell } from './Field.tsx';

export interface Choice {
  value: string;
  label: string;
}

/** "America/New_York" is found by "new york", "Ёлка" by "елка". */
const fold = (text: string) => text.toLocaleLowerCase().replace(/[_/]/g, ' ').replaceAll('ё', 'е');

export function ComboField(
  p: Base & {
    value: string;
    onInput: (v: string) => void;
    required?: boolean;
    /** The whole list (built when first opened). */
    choices: () => Choice[];
    /** The name of a value, shown under the input, or undefined for one not in the list. */
    describe: (value: string) => string | undefined;
  },
) {
  const id = useId();
  const listId = `${id}-list`;
  const open = useSignal(false);
  // What the list is filtered by: what was typed, or nothing when opened from the keyboard or mouse.
  const query = useSignal('');
  const active = useSignal(-1);

  const all = open.value ? p.choices() : [];
  const wanted = fold(query.value.trim());
  const shown = wanted ? all.filter((c) => fold(`${c.value} ${c.label}`).includes(wanted)) : all;
  const expanded = open.value && shown.length > 0;
  const optionId = (i: number) => `${listId}-${i}`;

  useEffect(() => {
    if (expanded && active.value >= 0) document.getElementById(optionId(active.value))?.scrollIntoView({ block: 'nearest' });
  }, [expanded, active.value]);

  const close = () => {
    open.value = false;
    active.value = -1;
  };
  const showAll = () => {
    query.value = '';
    open.value = true;
    active.value = Math.max(
      0,
      p.choices().findIndex((c) => c.value === p.value),
    );
  };
  const pick = (choice: Choice) => {
    p.onInput(choice.value);
    close();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!expanded) showAll();
      else active.value = Math.min(active.value + 1, shown.length - 1);
    } else if (e.key === 'ArrowUp' && expanded) {
      e.preventDefault();
      active.value = Math.max(active.value - 1, 0);
    } else if (e.key === 'Enter' && expanded && active.value >= 0) {
      // Picks the option instead of submitting the form.
      e.preventDefault();
      pick(shown[active.value]!);
    } else if (e.key === 'Escape' && open.value) {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') {
      close();
    }
  };

  const name = p.describe(p.value);
  const shell = { ...p, hint: name ?? p.hint };
  return (
    <Shell {...shell} id={id}>
      <div class="combo">
        <input
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active.value >= 0 ? optionId(active.value) : undefined}
          aria-invalid={p.error ? true : undefined}
          aria-describedby={described(id, shell)}
          autoComplete="off"
          spellcheck={false}
          required={p.required}
          value={p.value}
          data-testid={p.testId}
          onInput={(e) => {
            p.onInput(e.currentTarget.value);
            query.value = e.currentTarget.value;
            open.value = true;
            active.value = -1;
          }}
          onClick={() => (open.value ? close() : showAll())}
          onKeyDown={onKeyDown}
          onBlur={close}
        />
        {/* The listbox is the scroller itself: what the combobox controls and moves through. */}
        <div id={listId} role="listbox" aria-label={p.label} class="combo-popup" hidden={!expanded}>
          {shown.map((c, i) => (
            // biome-ignore lint/a11y/useFocusableInteractive: focus stays in the input; aria-activedescendant names the option (APG combobox)
            // biome-ignore lint/a11y/useKeyWithClickEvents: the input's keydown picks options; the click is the mouse's way
            <div
              key={c.value}
              id={optionId(i)}
              role="option"
              aria-selected={i === active.value}
              // Keeps focus in the input, so picking does not blur (and close) first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(c)}
            >
              <span class="combo-value">{c.value}</span>
              <span class="combo-label">{c.label}</span>
            </div>
          ))}
        </div>
      </div>
    </Shell>
  );
}
