import type { ReactNode } from 'react';

/** Errors interrupt (role=alert); confirmations and progress are polite status messages. */
export function Alert({
  kind,
  title,
  children,
}: {
  kind: 'error' | 'success' | 'info' | 'warning';
  title?: string;
  children?: ReactNode;
}) {
  const urgent = kind === 'error' || kind === 'warning';
  return (
    <div className={`alert alert-${kind}`} role={urgent ? 'alert' : 'status'}>
      {title ? <p className="alert-title">{title}</p> : null}
      {children}
    </div>
  );
}
