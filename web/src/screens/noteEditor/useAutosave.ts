import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import {
  AutosaveController,
  type AutosaveSnapshot,
  type DraftPart,
  type SaveOutcome,
} from './autosaveController.js';

/** IdleGuard announces the "Are you still there?" warning with this window event. */
export const IDLE_WARNING_EVENT = 'casebook:idle-warning';

const TICK_MS = 1000;

/**
 * Autosave for the note editor: saves about every 3 s while there are changes, on blur, when
 * the page is hidden or closed, and before the idle time-out signs the user out (the draft is
 * then there again after signing back in). Nothing is kept in browser storage.
 */
export function useAutosave(
  save: (parts: readonly DraftPart[]) => Promise<SaveOutcome>,
  savedAt: number | null,
): { controller: AutosaveController; snapshot: AutosaveSnapshot } {
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  }, [save]);
  const [controller] = useState(
    () => new AutosaveController({ save: (parts) => saveRef.current(parts), savedAt }),
  );
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);

  useEffect(() => {
    const timer = window.setInterval(() => controller.tick(), TICK_MS);
    const saveNow = () => controller.saveSoon();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') controller.saveSoon();
    };
    // The browser asks before closing a tab whose last keystrokes are not stored yet.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!controller.hasUnsaved()) return;
      controller.saveSoon();
      e.preventDefault();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', saveNow);
    window.addEventListener(IDLE_WARNING_EVENT, saveNow);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', saveNow);
      window.removeEventListener(IDLE_WARNING_EVENT, saveNow);
      window.removeEventListener('beforeunload', onBeforeUnload);
      // Leaving the editor (another page, or signed out) still stores what was typed.
      controller.saveSoon();
    };
  }, [controller]);

  return { controller, snapshot };
}
