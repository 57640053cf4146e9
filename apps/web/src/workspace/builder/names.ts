/** Longest question text shown where the question is only named (cards, lists, announcements). */
const NAME_MAX = 60;

/**
 * How the builder names a question: its label (or id when it has none), cut short, so a label of
 * thousands of characters never floods an error summary, a button name or an announcement.
 */
export function displayName(field: { label: string; id: string }): string {
  const text = field.label.trim() || field.id;
  return text.length <= NAME_MAX ? text : `${text.slice(0, NAME_MAX - 1).trimEnd()}…`;
}
