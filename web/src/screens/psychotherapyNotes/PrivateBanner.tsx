import { LockIcon } from './LockIcon.js';

/** The notice every psychotherapy-note screen opens with, so nobody mistakes them for progress notes. */
export function PrivateBanner() {
  return (
    <div className="pn-banner" role="note" aria-label="Private psychotherapy notes">
      <span className="pn-lock">
        <LockIcon size={28} />
      </span>
      <div>
        <p className="pn-banner-title">Psychotherapy notes — private to you.</p>
        <p>Kept apart from the record; never shared, exported or billed.</p>
        <p className="pn-banner-hint">
          Only you can read them: not supervisors, not the practice owner. Put anything the care team needs in
          a progress note instead.
        </p>
      </div>
    </div>
  );
}
