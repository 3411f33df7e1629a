import { clockTime } from '../../components/practiceTime.js';
import type { AutosaveSnapshot } from './autosaveController.js';

export function autosaveText(s: AutosaveSnapshot, timeZone: string): string {
  switch (s.status) {
    case 'saving':
      return 'Saving…';
    case 'dirty':
      return 'Unsaved changes';
    case 'invalid':
      return `Not saved: ${s.message ?? 'a field needs correcting'}`;
    case 'failed':
      return `Not saved: ${s.message ?? 'the server could not be reached'}. Trying again shortly.`;
    case 'conflict':
      return 'Not saved: this draft was changed in another tab or window.';
    case 'clean':
      return s.savedAt === null ? 'No changes yet' : `All changes saved at ${clockTime(s.savedAt, timeZone)}`;
  }
}

/**
 * The autosave state in words. `live` marks the one copy a screen reader announces; a second,
 * visual copy near the bottom of a long note is hidden from it to avoid double announcements.
 */
export function AutosaveStatus({
  snapshot,
  timeZone,
  live,
}: {
  snapshot: AutosaveSnapshot;
  timeZone: string;
  live: boolean;
}) {
  const text = autosaveText(snapshot, timeZone);
  const kind = snapshot.status === 'clean' ? 'saved' : snapshot.status;
  if (!live)
    return (
      <p className={`autosave autosave-${kind}`} aria-hidden="true">
        {text}
      </p>
    );
  return (
    <p className={`autosave autosave-${kind}`} role="status" aria-live="polite" data-testid="autosave-status">
      {text}
    </p>
  );
}
