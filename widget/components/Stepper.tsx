// − n + for one ticket type. Buttons at a limit are aria-disabled rather than disabled so that
// keyboard focus stays put when the limit is reached.
import { fill, type Strings } from '../i18n.ts';

interface Props {
  t: Strings;
  name: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}

export function Stepper({ t, name, value, min, max, onChange }: Props) {
  // Below the per-order minimum the only sensible amounts are 0 and the minimum itself.
  const up = value === 0 ? Math.max(1, min) : value + 1;
  const down = value <= min ? 0 : value - 1;
  const canUp = up <= max;
  const canDown = value > 0;
  return (
    <fieldset class="stepper" aria-label={fill(t.quantityOf, { name })}>
      <button type="button" data-testid="qty-dec" aria-label={fill(t.remove, { name })} aria-disabled={!canDown} onClick={() => canDown && onChange(down)}>
        −
      </button>
      <output data-testid="qty-value" aria-live="polite">
        {value}
      </output>
      <button type="button" data-testid="qty-inc" aria-label={fill(t.add, { name })} aria-disabled={!canUp} onClick={() => canUp && onChange(up)}>
        +
      </button>
    </fieldset>
  );
}
