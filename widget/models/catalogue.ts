// The event as the server describes it: performances, ticket types, organizer settings, the
// widget's texts, and which performance the visitor picked.
import { computed, signal } from '@preact/signals';
import type { EventBootstrap, Locale, PerformanceView, TicketTypeView } from '../../server/contracts/widget.ts';
import { asFailure, type Api, type Failure } from '../api.ts';

export const isSoldOut = (p: PerformanceView) => p.ticketTypes.every((t) => t.available <= 0);

export function createCatalogue(api: Api, slug: string, locale: Locale | null) {
  const data = signal<EventBootstrap | null>(null);
  const failure = signal<Failure | null>(null);
  const loading = signal(false);
  const performanceId = signal<string | null>(null);
  /**
   * Seats our own cart held when `data` was fetched. The server's `available` already excludes
   * them, so the visitor may still go up to available + own.
   */
  const own = signal<Record<string, number>>({});

  const performances = computed(() => data.value?.performances.filter((p) => p.onSale) ?? []);
  const performance = computed(() => performances.value.find((p) => p.id === performanceId.value) ?? null);

  const limit = (type: TicketTypeView) => Math.max(0, Math.min(type.maxPerOrder, type.available + (own.value[type.id] ?? 0)));

  async function load(held: Record<string, number> = {}): Promise<boolean> {
    loading.value = true;
    // A retry shows "loading" rather than the same message again, so the click visibly did something.
    failure.value = null;
    try {
      data.value = await api.event(slug, locale);
      own.value = held;
      const open = performances.value.filter((p) => !isSoldOut(p));
      // One thing to choose is no choice: select it so the tickets show straight away.
      if (!performanceId.value && open.length === 1) performanceId.value = open[0].id;
      return true;
    } catch (error) {
      failure.value = asFailure(error);
      return false;
    } finally {
      loading.value = false;
    }
  }

  return { data, failure, loading, performanceId, performances, performance, own, limit, load };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
