import { useEffect, useRef } from 'react';
import type { Overlap } from '../../api/sessionsApi.js';
import { formatSessionWhen } from '../../components/practiceTime.js';
import './calendar.css';

/**
 * The server refused a double booking: list the clashes and let the user confirm it on purpose
 * or go back and change the time. It takes focus so keyboard users land on the choice.
 */
export function OverlapWarning({
  overlaps,
  timeZone,
  confirmLabel,
  busy,
  onConfirm,
  onChange,
}: {
  overlaps: Overlap[];
  timeZone: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onChange: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const clinicianClash = overlaps.some((o) => o.sameClinician);
  return (
    <div
      className="alert alert-warning overlap-warning"
      role="alert"
      tabIndex={-1}
      ref={ref}
      aria-labelledby="overlap-title"
    >
      <h2 id="overlap-title" className="alert-title">
        Double booking
      </h2>
      <p>
        {overlaps.length === 1
          ? 'This overlaps another session'
          : `This overlaps ${overlaps.length} sessions`}
        {clinicianClash ? ' on the clinician’s calendar' : ' of a client in this booking'}. Go ahead only if
        the double booking is intended.
      </p>
      <ul className="overlap-list">
        {overlaps.map((o) => (
          <li key={`${o.sessionId}-${o.start}`}>
            <span className="overlap-when">{formatSessionWhen(o.start, o.end, timeZone)}</span>{' '}
            <span className="overlap-who">
              {o.sameClinician ? '— the same clinician is booked' : '— the same client is booked'}
            </span>
          </li>
        ))}
      </ul>
      <div className="button-row">
        <button type="button" className="button primary" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="button secondary" onClick={onChange}>
          Change the time
        </button>
      </div>
    </div>
  );
}
