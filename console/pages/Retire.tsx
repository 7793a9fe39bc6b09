// Taking an event, performance or ticket type out of use. Archive hides it from the widget and
// from the lists here (kept in the stats, restorable); delete removes what never sold, after a
// confirmation, together with the unfinished carts that held it. What sold can only be archived.
import type { Form } from '../components/form.ts';
import { t } from '../i18n.ts';

export function RetireActions(p: {
  form: Form;
  archived: boolean;
  hasSales: boolean;
  /** PATCH {archived}. */
  archive: (archived: boolean) => Promise<unknown>;
  remove: () => Promise<unknown>;
  /** The question asked before deleting. */
  confirmDelete: string;
  done: () => void;
  /** Names the buttons for tests: `${testId}-archive`, `-restore`, `-delete`. */
  testId: string;
}) {
  const tx = t.value.event;
  const run = (action: () => Promise<unknown>) => void p.form.run(action).then((ok) => ok && p.done());
  return (
    <>
      {p.archived ? (
        <button type="button" class="secondary" disabled={p.form.busy.value} data-testid={`${p.testId}-restore`} onClick={() => run(() => p.archive(false))}>
          {tx.restore}
        </button>
      ) : (
        <button type="button" class="secondary" disabled={p.form.busy.value} data-testid={`${p.testId}-archive`} onClick={() => run(() => p.archive(true))}>
          {tx.archive}
        </button>
      )}
      {!p.hasSales && (
        <button
          type="button"
          class="danger"
          disabled={p.form.busy.value}
          data-testid={`${p.testId}-delete`}
          onClick={() => confirm(p.confirmDelete) && run(p.remove)}
        >
          {tx.delete}
        </button>
      )}
    </>
  );
}

/** "Show archived (2)" under a list whose archived entries are hidden; nothing when there are none. */
export function ArchivedToggle({ count, shown, toggle, testId }: { count: number; shown: boolean; toggle: () => void; testId: string }) {
  const tx = t.value.event;
  if (count === 0) return null;
  return (
    <button type="button" class="link-button" aria-pressed={shown} data-testid={testId} onClick={toggle}>
      {tx.showArchived(count)}
    </button>
  );
}
