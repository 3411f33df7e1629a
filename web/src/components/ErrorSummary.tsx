import { useEffect, useRef } from 'react';
import { fieldId, type FieldErrors } from './fields.js';

/**
 * The error summary at the top of a form: a general message plus one link per field error.
 * It takes focus when it appears so keyboard and screen-reader users land on it.
 */
export function ErrorSummary({
  message,
  errors,
  labels = {},
}: {
  message?: string | null;
  errors: FieldErrors;
  labels?: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const visible = Boolean(message) || entries.length > 0;
  const key = `${message ?? ''}|${entries.map(([k, v]) => k + v).join('|')}`;
  useEffect(() => {
    if (visible) ref.current?.focus();
  }, [visible, key]);
  if (!visible) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{entries.length ? 'There is a problem' : 'Something went wrong'}</h2>
      {message ? <p>{message}</p> : null}
      {entries.length ? (
        <ul>
          {entries.map(([path, msg]) => (
            <li key={path}>
              <a
                href={`#${fieldId(path)}`}
                onClick={(e) => {
                  const el = document.getElementById(fieldId(path));
                  if (el) {
                    e.preventDefault();
                    el.focus();
                    el.scrollIntoView({ block: 'center' });
                  }
                }}
              >
                {labels[path] ? `${labels[path]}: ` : ''}
                {msg}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
