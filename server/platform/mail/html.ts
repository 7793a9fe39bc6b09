// Escaping for HTML text and double-quoted attribute values. Everything that is not our own
// markup — organizer text, buyer names, caught mail — goes through this.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}
