import { useEffect, useRef, useState } from 'react';
import type { SetPasswordLink } from '../../api/types.js';

/** The set-password link, shown once so the admin can pass it on privately. */
export function OneTimeLink({
  name,
  link,
  onDismiss,
}: {
  name: string;
  link: SetPasswordLink;
  onDismiss: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState(false);
  const url = link.url.startsWith('http') ? link.url : `${window.location.origin}${link.url}`;
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="alert alert-success one-time" role="status" tabIndex={-1} ref={ref}>
      <p className="alert-title">Set-password link for {name}</p>
      <p>
        Give this link to {name} privately (not by plain email if you can avoid it). It works once and expires
        on {new Date(link.expiresAt).toLocaleString()}. <strong>It will not be shown again.</strong>
      </p>
      <label htmlFor="one-time-link">Link</label>
      <input
        id="one-time-link"
        className="link-box"
        readOnly
        value={url}
        onFocus={(e) => e.target.select()}
      />
      <div className="button-row">
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            void navigator.clipboard
              ?.writeText(url)
              .then(() => setCopied(true))
              .catch(() => setCopied(false));
          }}
        >
          Copy link
        </button>
        <button type="button" className="button link" onClick={onDismiss}>
          Done
        </button>
        <span>{copied ? 'Copied.' : ''}</span>
      </div>
    </div>
  );
}
