import { formatDate } from '../../components/dateFormat.js';

/** The sentence above a version's table of changes. */
export function changeCountText(c: {
  previous: { versionNo: number } | null;
  changes: readonly unknown[];
}): string {
  if (!c.previous) return 'The first version of the plan.';
  const n = c.changes.length;
  if (n === 0) return `No changes from version ${c.previous.versionNo}.`;
  return `${n} ${n === 1 ? 'change' : 'changes'} from version ${c.previous.versionNo}:`;
}

/** A value in the table of changes: a bare date reads as the other dates on screen do. */
export function changeValueText(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value;
}
